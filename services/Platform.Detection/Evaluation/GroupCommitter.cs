namespace Platform.Detection.Evaluation;

/// <summary>
/// Group commits of batches' matches: batches hand their work here and wait; one commit runs at a time per instance,
/// and the work queued while it runs is merged into the next, in one transaction: the batches' inbox rows (a batch
/// committed before adds nothing), their matches staged as finding changes (one append per finding per group), the
/// read model and the rule counters. Concurrent batches of an attack add to the same few rows (findings, rule
/// counters, Insights' keys): one transaction for all of them, instead of each holding those rows while the others queue
/// on them, and one change per row instead of one per batch. A batch is acknowledged once its work is committed. When a
/// group fails, each of its batches is committed alone, so one that cannot be committed fails by itself (and is retried
/// or dead-lettered) without taking the others with it. At most one group per consumer slot waits: the queue is
/// bounded by the endpoint's concurrency.
/// </summary>
public abstract partial class GroupCommitter<TWork>(
    IServiceScopeFactory scopes, DetectionTelemetry telemetry, TimeProvider clock, ILogger logger)
    where TWork : ICommittedBatch
{
    private readonly Lock _gate = new();
    private List<Queued> _queued = [];
    private bool _committing;

    /// <summary>The consumer the inbox rows are recorded under.</summary>
    protected abstract string Inbox { get; }

    /// <summary>The name of a commit's activity.</summary>
    protected abstract string ActivityName { get; }

    /// <summary>The matches of <paramref name="fresh"/> (the group's work not committed before, in the order queued), staged into the transaction's services where they need rows.</summary>
    protected abstract Task<BatchMatches> MatchesOfAsync(IServiceProvider services, IReadOnlyList<TWork> fresh);

    /// <summary>After the commit, what else <paramref name="fresh"/> counts in <paramref name="telemetry"/> (the matches and findings are counted here).</summary>
    protected virtual void Committed(IReadOnlyList<TWork> fresh, DetectionTelemetry telemetry)
    {
    }

    /// <summary>Commits <paramref name="group"/> (in the order queued) in one transaction.</summary>
    private async Task CommitAsync(IReadOnlyList<TWork> group)
    {
        using var activity = DetectionTelemetry.ActivitySource.StartActivity(ActivityName);
        activity?.SetTag("platform.batches", group.Count);
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<DetectionDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        // A failed save fails the group: no savepoint round trips around the saves.
        db.Database.AutoSavepointsEnabled = false;
        var now = clock.GetUtcNow();
        var ids = await db.TryRecordInboxAsync([.. group.Select(w => w.MessageId)], Inbox, now, CancellationToken.None);
        var fresh = group.DistinctBy(w => w.MessageId).Where(w => ids.Contains(w.MessageId)).ToList();
        var matches = await MatchesOfAsync(services, fresh);

        // The rows concurrent groups (other instances') share are locked at the end, each once, in one order (the
        // findings, then the rule counters), and written in one save.
        var raised = await services.GetRequiredService<BatchEvaluator>().StageFindingsAsync(matches, now, CancellationToken.None);
        await db.SaveChangesAsync(CancellationToken.None);
        // Last before the commit: every group matching a rule updates that rule's row of the hour.
        await services.GetRequiredService<RuleMatchCounter>().AddAsync(matches.MatchesByRule, now, CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        services.GetRequiredService<FindingStreams>().Committed();
        // Counted once the effects are: a group rolled back counts nothing, a redelivery stops at the inbox.
        telemetry.RuleMatches.Add(matches.MatchesByRule.Values.Sum());
        if (raised > 0)
        {
            // Raised by the group, counted from its oldest batch.
            telemetry.FindingsRaised.Add(raised);
            telemetry.IngestionToFinding.Record((clock.GetUtcNow() - fresh.Min(w => w.IngestedAt)).TotalSeconds);
        }

        Committed(fresh, telemetry);
    }

    /// <summary>Completes once <paramref name="work"/> is committed.</summary>
    protected Task EnqueueAsync(TWork work, CancellationToken cancellationToken)
    {
        var queued = new Queued(work, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        bool start;
        lock (_gate)
        {
            _queued.Add(queued);
            start = !_committing;
            _committing = true;
        }

        if (start)
        {
            _ = Task.Run(CommitQueuedAsync, CancellationToken.None);
        }

        return queued.Committed.Task.WaitAsync(cancellationToken);
    }

    private async Task CommitQueuedAsync()
    {
        while (true)
        {
            List<Queued> group;
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
                await CommitAsync([.. group.Select(q => q.Work)]);
                group.ForEach(q => q.Committed.TrySetResult());
            }
            catch (Exception ex) when (group.Count > 1)
            {
                LogGroupFailed(ex, group.Count);
                foreach (var queued in group)
                {
                    await CommitAloneAsync(queued);
                }
            }
            catch (Exception ex)
            {
                group[0].Committed.TrySetException(ex);
            }
        }
    }

    private async Task CommitAloneAsync(Queued queued)
    {
        try
        {
            await CommitAsync([queued.Work]);
            queued.Committed.TrySetResult();
        }
        catch (Exception ex)
        {
            queued.Committed.TrySetException(ex);
        }
    }

    [LoggerMessage(LogLevel.Warning, "A group commit of {Batches} batches failed; each is committed alone")]
    private partial void LogGroupFailed(Exception exception, int batches);

    private sealed record Queued(TWork Work, TaskCompletionSource Committed);
}

/// <summary>A batch's work handed to a <see cref="GroupCommitter{TWork}"/>: its message (the inbox row) and when it was ingested.</summary>
public interface ICommittedBatch
{
    Guid MessageId { get; }

    DateTimeOffset IngestedAt { get; }
}
