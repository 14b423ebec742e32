using Platform.Detection.Evaluation;

namespace Platform.Detection.Insights;

/// <summary>
/// Counts batches' CloudTrail Insights apart from their rule matches, in group commits (<see cref="GroupCommitter{TWork}"/>)
/// under an inbox of their own (<see cref="InboxName"/>): every batch of CloudTrail counts its APIs' minutes, so every
/// batch would lock the same few key rows. A group's transaction also holds the keys' minutes. A batch's rule matches,
/// committed under their own inbox row, are not evaluated again when its Insights are retried.
/// </summary>
public sealed class InsightsCommitter(
    IServiceScopeFactory scopes, DetectionTelemetry telemetry, TimeProvider clock, ILogger<InsightsCommitter> logger)
    : GroupCommitter<InsightsCommitter.Counted>(scopes, telemetry, clock, logger)
{
    public const string InboxName = "detection.insights";

    protected override string ActivityName => "count insights";

    protected override string Inbox => InboxName;

    /// <summary>Completes once <paramref name="counts"/> of message <paramref name="messageId"/> are committed (or were before).</summary>
    public Task CountAsync(Guid messageId, InsightCounts counts, DateTimeOffset ingestedAt, CancellationToken cancellationToken) =>
        EnqueueAsync(new Counted(messageId, counts, ingestedAt), cancellationToken);

    /// <summary>The keys' minutes first, then (by the committer) the findings and the rule counters: the order of a batch of rule matches.</summary>
    protected override async Task<BatchMatches> MatchesOfAsync(IServiceProvider services, IReadOnlyList<Counted> fresh)
    {
        var batch = new BatchMatches(origin: null);
        await services.GetRequiredService<CloudTrailInsights>().StageAsync(InsightCounts.Merge(fresh.Select(c => c.Counts)), batch, CancellationToken.None);
        return batch;
    }

    public sealed record Counted(Guid MessageId, InsightCounts Counts, DateTimeOffset IngestedAt) : ICommittedBatch;
}
