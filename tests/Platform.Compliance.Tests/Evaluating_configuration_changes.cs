using Platform.EventSourcing.Storage;

namespace Platform.Compliance.Tests;

/// <summary>Configuration changes heard on the broker are judged by the rules they trigger; only a change of verdict is published, once.</summary>
[Collection(EvaluationCollection.Name)]
public sealed class Evaluating_configuration_changes(EvaluationHost host)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_change_on_the_broker_is_judged_and_a_redelivery_publishes_nothing_more()
    {
        var (rule, type, account) = (TestNames.Unique("tagged"), EvaluationHost.UniqueType("Bucket"), "111111111111");
        await host.ProvisionRuleAsync(rule, FakeConfigRuleCompiler.Spec(FakeConfigRuleCompiler.Tagged, type));
        var messageId = Guid.NewGuid();

        await host.RecordAsync(EvaluationHost.Item(type, "bucket-a", account, T0), messageId: messageId);
        var first = await host.WaitForChangeAsync(rule, "bucket-a", ComplianceTypes.NonCompliant);
        Assert.NotNull(first);
        Assert.Equal((null, 1L, account, "The resource is not tagged compliant."), (first.OldComplianceType, first.Version, first.AwsAccountId, first.Annotation));

        // The same message again (a redelivery), then a marker whose verdict shows the redelivery was consumed before it.
        await host.RecordAsync(EvaluationHost.Item(type, "bucket-a", account, T0), messageId: messageId);
        await host.RecordAsync(EvaluationHost.Item(type, "bucket-marker", account, T0));
        Assert.NotNull(await host.WaitForChangeAsync(rule, "bucket-marker", ComplianceTypes.NonCompliant));
        await Task.Delay(500);
        Assert.Single(host.ChangesOf(rule, "bucket-a"));

        await host.RecordAsync(EvaluationHost.Item(type, "bucket-a", account, T0.AddMinutes(1), new Dictionary<string, string> { ["compliant"] = "true" }), 2);
        var second = await host.WaitForChangeAsync(rule, "bucket-a", ComplianceTypes.Compliant);
        Assert.NotNull(second);
        Assert.Equal((ComplianceTypes.NonCompliant, 2L), (second.OldComplianceType, second.Version));
        await using var scope = host.Host.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<EventStore>();
        Assert.Equal(2, await store.GetVersionAsync(ComplianceRecorder.StreamId(rule, type, "bucket-a"), CancellationToken.None));
    }

    [Fact]
    public async Task A_deleted_resource_becomes_not_applicable()
    {
        var (rule, type, account) = (TestNames.Unique("tagged"), EvaluationHost.UniqueType("Bucket"), "222222222222");
        await host.ProvisionRuleAsync(rule, FakeConfigRuleCompiler.Spec(FakeConfigRuleCompiler.Tagged, type));

        await host.RecordAsync(EvaluationHost.Item(type, "doomed", account, T0));
        Assert.NotNull(await host.WaitForChangeAsync(rule, "doomed", ComplianceTypes.NonCompliant));
        await host.RecordAsync(EvaluationHost.Item(type, "doomed", account, T0.AddMinutes(5), deleted: true), 2);

        var gone = await host.WaitForChangeAsync(rule, "doomed", ComplianceTypes.NotApplicable);
        Assert.NotNull(gone);
        Assert.Equal((ComplianceTypes.NonCompliant, RuleEvaluator.DeletedAnnotation, T0.AddMinutes(5)), (gone.OldComplianceType, gone.Annotation, gone.OrderingTimestamp));
    }

    [Fact]
    public async Task A_verdict_on_an_older_configuration_than_the_current_one_changes_nothing()
    {
        var (rule, type, account) = (TestNames.Unique("tagged"), EvaluationHost.UniqueType("Bucket"), "333333333333");
        await host.ProvisionRuleAsync(rule, FakeConfigRuleCompiler.Spec(FakeConfigRuleCompiler.Tagged, type));

        await host.RecordAsync(EvaluationHost.Item(type, "late", account, T0.AddMinutes(10), new Dictionary<string, string> { ["compliant"] = "true" }), 2);
        Assert.NotNull(await host.WaitForChangeAsync(rule, "late", ComplianceTypes.Compliant));
        // The item of an hour before arrives late (a redelivery of an old message): it would say NON_COMPLIANT.
        await host.PublishAsync(new ConfigurationItemRecorded(EvaluationHost.Item(type, "late", account, T0), 1, "api"));
        await host.RecordAsync(EvaluationHost.Item(type, "late-marker", account, T0));
        Assert.NotNull(await host.WaitForChangeAsync(rule, "late-marker", ComplianceTypes.NonCompliant));
        await Task.Delay(500);

        Assert.Equal([ComplianceTypes.Compliant], host.ChangesOf(rule, "late").Select(c => c.NewComplianceType));
    }
}
