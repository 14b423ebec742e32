namespace Platform.Sigma.Correlation;

/// <summary>
/// One event counted by a correlation: the event <paramref name="EventId"/> matched the referenced rule
/// <paramref name="RuleKey"/> at <paramref name="EventTime"/>, in the group <paramref name="GroupKey"/>.
/// <paramref name="Value"/> is the condition field's value (value_count, value_sum, value_avg), else null.
/// </summary>
public sealed record CorrelationObservation(
    string CorrelationKey,
    string GroupKey,
    DateTimeOffset EventTime,
    string EventId,
    string RuleKey,
    string? Value);

/// <summary>
/// What a reader already holds of one group's window: every observation strictly between <paramref name="FromExclusive"/>
/// and <paramref name="ToExclusive"/> written before <paramref name="Watermark"/>, a token an earlier
/// <see cref="ICorrelationWindowStore.ReadAsync"/> returned.
/// </summary>
public readonly record struct CorrelationWindowKnown(DateTimeOffset FromExclusive, DateTimeOffset ToExclusive, ulong Watermark);

/// <summary>
/// A read of one group's window: the observations with <paramref name="FromExclusive"/> &lt; time &lt;
/// <paramref name="ToExclusive"/> that the reader does not hold (<paramref name="Known"/>; null: it holds none).
/// </summary>
public sealed record CorrelationWindowRead(
    string CorrelationKey,
    string GroupKey,
    DateTimeOffset FromExclusive,
    DateTimeOffset ToExclusive,
    CorrelationWindowKnown? Known);

/// <summary>
/// What a <see cref="ICorrelationWindowStore.ReadAsync"/> found: the observations, and the watermark under which every
/// observation of the reads' ranges is now held by the reader (those found and those it said it knew).
/// </summary>
public sealed record CorrelationWindowChanges(IReadOnlyList<CorrelationObservation> Observations, ulong Watermark);

/// <summary>
/// Where correlation windows live. The detection service implements it on Postgres so that several instances
/// share windows and late events still count; <see cref="InMemoryCorrelationWindowStore"/> serves tests and a
/// single process.
/// </summary>
/// <remarks>
/// <see cref="CorrelationEvaluator"/> records a batch of observations, then reads what changed in the windows of the
/// groups they touched, each call one round trip for a remote store. A record must be visible to every reader once
/// <see cref="RecordAsync"/> returns (e.g. committed): then, of two instances recording concurrently, the later
/// one always sees both observations, so a threshold is never missed (at worst both fire, and findings are
/// deduplicated downstream by rule, group and window). The evaluator keeps the windows it has read, so a read returns
/// only what the reader does not hold: a window holding thousands of observations costs its new rows, not its size.
/// </remarks>
public interface ICorrelationWindowStore
{
    /// <summary>
    /// Stores each observation unless one with the same correlation, group, event id and rule key exists
    /// (redelivered events count once). Returns, per observation, whether this call stored it: of duplicates
    /// within the call only the first can be true.
    /// </summary>
    ValueTask<IReadOnlyList<bool>> RecordAsync(IReadOnlyList<CorrelationObservation> observations, CancellationToken cancellationToken = default);

    /// <summary>
    /// The observations of each read's range (reads name distinct groups), in any order, except those the read says it
    /// knows; it may return some of those again (a reader ignores a row it holds), never miss one it does not hold.
    /// </summary>
    ValueTask<CorrelationWindowChanges> ReadAsync(IReadOnlyList<CorrelationWindowRead> reads, CancellationToken cancellationToken = default);

    /// <summary>Deletes observations older than <paramref name="cutoff"/> (retention: now minus the longest timespan and the accepted lateness).</summary>
    ValueTask<int> RemoveOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
