using Platform.EventSourcing.Storage;

namespace Platform.Compliance.Tests;

/// <summary>Two instances recording the same verdicts at once append each change of compliance type once, on the stream's expected version.</summary>
[Collection(EvaluationCollection.Name)]
public sealed class Two_instances_record_each_change_once(EvaluationHost host)
{
    [Fact]
    public async Task The_same_verdicts_recorded_by_two_instances_at_once_append_one_change_each()
    {
        await using var second = host.StartHost();
        await second.WaitUntilReadyAsync();
        var (rule, type, at) = (TestNames.Unique("race"), EvaluationHost.UniqueType("Race"), DateTimeOffset.UtcNow);
        var ids = Enumerable.Range(1, 20).Select(i => $"res-{i}").ToList();

        async Task RecordAllAsync(IServiceProvider services)
        {
            foreach (var id in ids)
            {
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ComplianceRecorder>().RecordAsync(
                    rule, "555555555555", "us-east-1", new RuleEvaluation(type, id, ComplianceTypes.NonCompliant, null, at), CancellationToken.None);
            }
        }
        await Task.WhenAll(RecordAllAsync(host.Host.Services), RecordAllAsync(second.Services), RecordAllAsync(host.Host.Services));

        await using var check = host.Host.Services.CreateAsyncScope();
        var store = check.ServiceProvider.GetRequiredService<EventStore>();
        foreach (var id in ids)
        {
            Assert.Equal(1, await store.GetVersionAsync(ComplianceRecorder.StreamId(rule, type, id), CancellationToken.None));
        }
    }
}
