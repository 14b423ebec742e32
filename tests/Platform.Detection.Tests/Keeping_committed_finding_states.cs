using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Detection.Findings;
using Platform.EventSourcing.Storage;

namespace Platform.Detection.Tests;

/// <summary>
/// Detection keeps the finding states it committed and takes the next change of a finding from there while the row's
/// version is the one kept; a finding another writer changed since (a triage here) is read from its row. Either way the
/// row holds what its stream folds to.
/// </summary>
[Collection(DetectionCollection.Name)]
public sealed class Keeping_committed_finding_states(DetectionHost detection)
{
    private const string Sample = "aws.persistence.iam-create-admin-user.json";

    [Fact]
    public async Task A_finding_changed_again_from_its_kept_state_or_after_a_triage_from_its_row_holds_the_fold_of_its_stream()
    {
        var principal = CloudTrail.UniqueArn("kept-state");
        var template = CloudTrail.Records(Sample, "CreateAccessKey")[0];
        var cache = detection.Host.Services.GetRequiredService<FindingStateCache>();
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);

        await detection.Bus.PublishAsync(CloudTrail.Batch([CloudTrail.Variant(template, principal, start)]));
        var raised = (await detection.WaitForFindingsAsync(Raising_findings.Query(principal), f => f.Count > 0)).Single();
        Assert.Equal(raised.Version, cache.Get(raised.Id, raised.Version)?.Version);

        // Kept at the row's version: the second batch's change starts from the kept state.
        await detection.Bus.PublishAsync(CloudTrail.Batch([CloudTrail.Variant(template, principal, start.AddMinutes(1))]));
        var added = (await detection.WaitForFindingsAsync(Raising_findings.Query(principal), f => f.Single().Occurrences == 2)).Single();
        Assert.Equal(added.Version, cache.Get(added.Id, added.Version)?.Version);
        await AssertRowIsFoldOfStreamAsync(added.Id);

        // Resolved through the API: the row's version moves past the kept one, and the third batch reads the row.
        using var resolve = new HttpRequestMessage(HttpMethod.Post, $"/v1/findings/{added.Id}/resolve")
        {
            Content = JsonContent.Create(new { reason = "key rotated" }, options: PlatformJson.Options),
        };
        resolve.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue($"\"{added.Version}\""));
        Assert.Equal(HttpStatusCode.OK, (await detection.Client.SendAsync(resolve)).StatusCode);
        Assert.Null(cache.Get(added.Id, added.Version + 2));

        await detection.Bus.PublishAsync(CloudTrail.Batch([CloudTrail.Variant(template, principal, start.AddMinutes(2))]));
        var reopened = (await detection.WaitForFindingsAsync(Raising_findings.Query(principal), f => f.Single().Occurrences == 3)).Single();
        Assert.Equal(FindingStatus.Open, reopened.Status);
        Assert.Equal(added.Version + 2 + 4, reopened.Version); // resolved + status changed; reopened, recorded, status changed, updated
        Assert.Equal(reopened.Version, cache.Get(reopened.Id, reopened.Version)?.Version);
        await AssertRowIsFoldOfStreamAsync(reopened.Id);
    }

    private async Task AssertRowIsFoldOfStreamAsync(Guid findingId)
    {
        await using var scope = detection.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DetectionDbContext>();
        var row = await db.Findings.AsNoTracking().SingleAsync(f => f.Id == findingId);
        var folded = await scope.ServiceProvider.GetRequiredService<EventStore>()
            .LoadAsync(FindingFingerprint.StreamIdOf(findingId), FindingState.Initial, FindingState.Apply, CancellationToken.None);
        var expected = folded.State with { Version = folded.Version };
        Assert.Equal(
            JsonSerializer.Serialize(expected, PlatformJson.Options),
            JsonSerializer.Serialize(row.ToState(), PlatformJson.Options));
        Assert.Equal(expected.Version, row.Version);
        Assert.Equal(expected.Occurrences, row.Occurrences);
        Assert.Equal(expected.LastSeenAt, row.LastSeenAt);
        Assert.Equal(expected.Status, row.Status);
    }
}
