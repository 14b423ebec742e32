namespace Platform.Detection.Evaluation;

/// <summary>
/// Commits evaluated batches' matches in group commits (<see cref="GroupCommitter{TWork}"/>) under the live batches'
/// inbox: under an attack the batches beside each other add to the same principals' findings; merged, they lock each
/// finding once and write one change to it, instead of queueing on its row one batch after another and writing one
/// change each.
/// </summary>
public sealed class FindingsCommitter(
    IServiceScopeFactory scopes, DetectionTelemetry telemetry, TimeProvider clock, ILogger<FindingsCommitter> logger)
    : GroupCommitter<FindingsCommitter.Evaluated>(scopes, telemetry, clock, logger)
{
    protected override string Inbox => LogEventsIngestedConsumer.InboxName;

    protected override string ActivityName => "record findings";

    /// <summary>Completes once the batch's effects are committed (or were before).</summary>
    public Task CommitAsync(Evaluated batch, CancellationToken cancellationToken) => EnqueueAsync(batch, cancellationToken);

    protected override Task<BatchMatches> MatchesOfAsync(IServiceProvider services, IReadOnlyList<Evaluated> fresh) =>
        Task.FromResult(BatchMatches.Merge(fresh.Select(e => e.Matches)));

    protected override void Committed(IReadOnlyList<Evaluated> fresh, DetectionTelemetry telemetry)
    {
        foreach (var batch in fresh)
        {
            telemetry.EvaluationDuration.Record(batch.Evaluation.TotalSeconds);
            telemetry.EventsEvaluated.Add(batch.Events);
        }
    }

    /// <summary>A batch evaluated: its message, its matches (correlations included), its size, when it was ingested, how long evaluating it took.</summary>
    public sealed record Evaluated(Guid MessageId, BatchMatches Matches, int Events, DateTimeOffset IngestedAt, TimeSpan Evaluation) : ICommittedBatch;
}
