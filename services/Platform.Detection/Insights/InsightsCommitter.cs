using Platform.Detection.Evaluation;

namespace Platform.Detection.Insights;

/// <summary>
/// Counts batches' CloudTrail Insights apart from their rule matches, in group commits: every batch of CloudTrail
/// counts its APIs' minutes, so every batch would lock the same few key rows; here the batches waiting while one commit
/// runs are merged into the next, one transaction at a time per instance (inbox rows under <see cref="InboxName"/>, the
/// keys' minutes, the Insights raised as findings, their rule counters). A batch is acknowledged once its counts are
/// committed; a failed commit fails every batch in it, and each is retried (its rule matches, already committed under
/// their own inbox row, are not evaluated again). At most one group per consumer slot waits: the queue is bounded by the
/// endpoint's concurrency.
/// </summary>
public sealed partial class InsightsCommitter(
    IServiceScopeFactory scopes, DetectionTelemetry telemetry, TimeProvider clock, ILogger<InsightsCommitter> logger)
{
    public const string InboxName = "detection.insights";

    private readonly Lock _gate = new();
    private List<Counted> _queued = [];
    private bool _committing;

    /// <summary>Completes once <paramref name="counts"/> of message <paramref name="messageId"/> are committed (or were before).</summary>
    public Task CountAsync(Guid messageId, InsightCounts counts, DateTimeOffset ingestedAt, CancellationToken cancellationToken)
    {
        var counted = new Counted(messageId, counts, ingestedAt, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        bool start;
        lock (_gate)
        {
            _queued.Add(counted);
            start = !_committing;
            _committing = true;
        }

        if (start)
        {
            _ = Task.Run(CommitQueuedAsync, CancellationToken.None);
        }

        return counted.Committed.Task.WaitAsync(cancellationToken);
    }

    private async Task CommitQueuedAsync()
    {
        while (true)
        {
            List<Counted> group;
            lock (_gate)
            {
                if (_queued.Count == 0)
                {
                    _committing = false;
                    return;
                }

                group = _queued;
                _queued = [];
            }

            try
            {
                await CommitAsync(group);
                group.ForEach(c => c.Committed.TrySetResult());
            }
            catch (Exception ex)
            {
                LogCommitFailed(ex, group.Count);
                group.ForEach(c => c.Committed.TrySetException(ex));
            }
        }
    }

    private async Task CommitAsync(List<Counted> group)
    {
        using var activity = DetectionTelemetry.ActivitySource.StartActivity("count insights");
        activity?.SetTag("platform.batches", group.Count);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DetectionDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        db.Database.AutoSavepointsEnabled = false;
        var now = clock.GetUtcNow();
        var fresh = await db.TryRecordInboxAsync([.. group.Select(c => c.MessageId)], InboxName, now, CancellationToken.None);
        var counts = InsightCounts.Merge(group.DistinctBy(c => c.MessageId).Where(c => fresh.Contains(c.MessageId)).Select(c => c.Counts));

        // The same order as a batch of rule matches: the keys, then the findings, then the rule counters.
        var batch = new BatchMatches(origin: null);
        await scope.ServiceProvider.GetRequiredService<CloudTrailInsights>().StageAsync(counts, batch, CancellationToken.None);
        var raised = await scope.ServiceProvider.GetRequiredService<BatchEvaluator>().StageFindingsAsync(batch, now, CancellationToken.None);
        await db.SaveChangesAsync(CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<RuleMatchCounter>().AddAsync(batch.MatchesByRule, now, CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);

        telemetry.RuleMatches.Add(batch.MatchesByRule.Values.Sum());
        if (raised > 0)
        {
            // The minute that closed and raised them is the group's, counted from its oldest batch.
            telemetry.FindingsRaised.Add(raised);
            telemetry.IngestionToFinding.Record((clock.GetUtcNow() - group.Min(c => c.IngestedAt)).TotalSeconds);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Counting the Insights of {Batches} batches failed; each batch is retried")]
    private partial void LogCommitFailed(Exception exception, int batches);

    private sealed record Counted(Guid MessageId, InsightCounts Counts, DateTimeOffset IngestedAt, TaskCompletionSource Committed);
}
