namespace Platform.Alerting.Alarms;

/// <summary>
/// Evaluates alarms now: reads each one's evaluation range through <see cref="IMetricStatistics"/>, decides its state
/// with <see cref="AlarmStateMachine"/>, and for each change appends <see cref="AlarmStateChanged"/> to its stream at
/// the version its row was read at, updating the row in the same transaction. The outbox relay publishes each
/// transition once. Concurrent evaluations of one alarm (another instance, a data trigger during the minute pass) are
/// harmless: the second append at the same stream version fails and is dropped, its decision being the same.
/// </summary>
public sealed partial class AlarmEvaluator(
    AlertingDbContext db, EventStore store, IMetricStatistics statistics, TimeProvider clock, ILogger<AlarmEvaluator> logger)
{
    public const string Actor = "alarm-evaluation";

    /// <summary>Transitions committed per transaction; a conflict in a batch retries its transitions one by one.</summary>
    private const int SaveBatchSize = 200;

    /// <summary>Evaluates the alarms (not deleted) whose rows are given (read without tracking); returns how many changed state.</summary>
    public async Task<int> EvaluateAsync(IReadOnlyList<AlarmRecord> rows, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var end = AlarmStateMachine.EvaluationEnd(now);
        var transitions = new List<(AlarmRecord Row, AlarmStateChanged Change)>();
        foreach (var row in rows.Where(r => !r.Deleted))
        {
            MetricAlarm alarm;
            try
            {
                alarm = MetricAlarm.FromValidSpec(row.Name, row.ReadSpec());
            }
            catch (ArgumentException ex)
            {
                LogUnreadable(row.Name, ex.Message);
                continue;
            }

            var query = new MetricStatisticQuery(
                new MetricIdentity(alarm.Namespace, alarm.MetricName, alarm.Dimensions), alarm.Statistic.ToString(), alarm.Period,
                AlarmStateMachine.RangeStart(alarm, end), end);
            var values = await statistics.GetAsync(query, cancellationToken);
            var current = AlarmStates.Parse(row.StateValue) ?? AlarmState.InsufficientData;
            var evaluation = AlarmStateMachine.Evaluate(
                alarm, current, values.Select(v => new AlarmDatapoint(v.PeriodStart, v.Value)).ToList(), end, now);
            if (evaluation.State == current)
            {
                continue;
            }
            transitions.Add((row, new AlarmStateChanged(
                row.Name, row.StateValue, evaluation.State.Name(), evaluation.Reason, evaluation.ReasonData, now, row.Version + 1,
                alarm.ActionsFor(evaluation.State))));
        }

        var changed = 0;
        foreach (var batch in transitions.Chunk(SaveBatchSize))
        {
            if (await TrySaveAsync(batch, cancellationToken))
            {
                changed += batch.Length;
                continue;
            }
            foreach (var transition in batch)
            {
                changed += await TrySaveAsync([transition], cancellationToken) ? 1 : 0;
            }
        }
        return changed;
    }

    /// <summary>Commits the transitions together; false (nothing committed) when another writer changed one of the alarms since it was read.</summary>
    private async Task<bool> TrySaveAsync(IReadOnlyList<(AlarmRecord Row, AlarmStateChanged Change)> transitions, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        foreach (var (row, change) in transitions)
        {
            store.Append(AlarmStreams.StreamId(row.Name), row.Version, [change], new EventMetadata(Actor));
            var tracked = row.Copy();
            db.Alarms.Attach(tracked);
            tracked.Version = change.Version;
            tracked.StateValue = change.NewState;
            tracked.StateReason = change.Reason;
            tracked.StateReasonData = change.ReasonData;
            tracked.StateUpdatedAt = change.Timestamp;
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            foreach (var (_, change) in transitions)
            {
                LogTransition(change.AlarmName, change.OldState, change.NewState, change.Reason);
            }
            return true;
        }
        catch (StreamConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    [LoggerMessage(LogLevel.Information, "Alarm {Name} went from {OldState} to {NewState}: {Reason}")]
    private partial void LogTransition(string name, string oldState, string newState, string reason);

    [LoggerMessage(LogLevel.Error, "Alarm {Name} cannot be evaluated: {Reason}")]
    private partial void LogUnreadable(string name, string reason);
}
