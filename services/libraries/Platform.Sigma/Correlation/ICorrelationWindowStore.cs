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
/// The observations of one group that <see cref="ICorrelationWindowStore.GetObservationsAsync"/> should return:
/// those with <paramref name="FromExclusive"/> &lt; time &lt; <paramref name="ToExclusive"/>.
/// </summary>
public sealed record CorrelationWindowRange(
    string CorrelationKey,
    string GroupKey,
    DateTimeOffset FromExclusive,
    DateTimeOffset ToExclusive);

/// <summary>
/// Where correlation windows live. The detection service implements it on Postgres so that several instances
/// share windows and late events still count; <see cref="InMemoryCorrelationWindowStore"/> serves tests and a
/// single process.
/// </summary>
/// <remarks>
/// <see cref="CorrelationEvaluator"/> records a batch of observations, then reads the windows of the groups they
/// touched, each call one round trip for a remote store. A record must be visible to every reader once
/// <see cref="RecordAsync"/> returns (e.g. committed): then, of two instances recording concurrently, the later
/// one always sees both observations, so a threshold is never missed (at worst both fire, and findings are
/// deduplicated downstream by rule, group and window).
/// </remarks>
public interface ICorrelationWindowStore
{
    /// <summary>
    /// Stores each observation unless one with the same correlation, group, event id and rule key exists
    /// (redelivered events count once). Returns, per observation, whether this call stored it: of duplicates
    /// within the call only the first can be true.
    /// </summary>
    ValueTask<IReadOnlyList<bool>> RecordAsync(IReadOnlyList<CorrelationObservation> observations, CancellationToken cancellationToken = default);

    /// <summary>The observations within each range (ranges name distinct groups), in any order.</summary>
    ValueTask<IReadOnlyList<CorrelationObservation>> GetObservationsAsync(
        IReadOnlyList<CorrelationWindowRange> ranges,
        CancellationToken cancellationToken = default);

    /// <summary>Deletes observations older than <paramref name="cutoff"/> (retention: now minus the longest timespan and the accepted lateness).</summary>
    ValueTask<int> RemoveOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
