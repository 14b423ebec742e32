namespace Platform.Detection.Findings;

/// <summary>The events a change appends (private ones first, then the public contracts that announce it).</summary>
public sealed record FindingChange(IReadOnlyList<object> Events, FindingStatus? StatusBefore)
{
    public static FindingChange None { get; } = new([], null);

    public bool IsEmpty => Events.Count == 0;

    public bool Raised => Events.OfType<FindingRaised>().Any();
}

/// <summary>
/// Pure decisions on a finding: what occurrences and triage commands append, given its current state.
/// Every public contract carries the version the stream has after the whole append.
/// </summary>
public static class FindingDecisions
{
    public const string DetectionActor = "detection";

    /// <summary>Occurrences of one batch: open a new finding or add to (and maybe reopen) the existing one.</summary>
    public static FindingChange Record(
        FindingState state, PendingOccurrences pending, SuppressionRules suppressions, TimeSpan deduplicationWindow, DateTimeOffset now)
    {
        var recorded = pending.ToRecorded(state);
        if (recorded is null)
        {
            return FindingChange.None;
        }

        var events = new List<object>();
        if (!state.Exists)
        {
            var rule = pending.Rule;
            events.Add(new FindingOpened(
                pending.FindingId, pending.Fingerprint, rule.Id, rule.Key, rule.Title, rule.Description, rule.Severity,
                pending.Account, pending.Region, pending.Principal, rule.Techniques, rule.Tactics, pending.Origin));
            events.Add(recorded);
            AddAutoSuppression(events, Fold(state, events), suppressions);
            var raised = Fold(state, events);
            events.Add(new FindingRaised(
                raised.Id, raised.RuleId, raised.Title, raised.Description, raised.Severity, raised.Status, raised.Occurrences,
                raised.FirstSeenAt, raised.LastSeenAt, raised.Account, raised.Region, raised.Principal, raised.SourceIps,
                raised.Resources, raised.Techniques, raised.Tactics, raised.Evidence, state.Version + events.Count + 1, raised.Origin,
                raised.Disposition));
            return new FindingChange(events, null);
        }

        if (ReopenReason(state, recorded, deduplicationWindow, now) is { } reason)
        {
            events.Add(new FindingReopened(reason));
        }

        events.Add(recorded);
        if (events[0] is FindingReopened)
        {
            AddAutoSuppression(events, Fold(state, events), suppressions);
        }

        var after = Fold(state, events);
        var statusChanged = after.Status != state.Status;
        var finalVersion = state.Version + events.Count + (statusChanged ? 2 : 1);
        if (statusChanged)
        {
            var by = events.OfType<FindingSuppressed>().FirstOrDefault()?.SuppressionRule is { } rule ? SuppressionRule.ActorOf(rule) : DetectionActor;
            events.Add(new FindingStatusChanged(after.Id, after.RuleId, state.Status, after.Status, by, after.StatusReason, after.SuppressedUntil, now, finalVersion));
        }

        events.Add(new FindingUpdated(
            after.Id, after.RuleId, after.Severity, after.Status, recorded.Count, after.Occurrences, after.LastSeenAt,
            after.SourceIps, after.Resources, after.LatestEvidence.Count > 0 ? after.LatestEvidence : after.FirstEvidence, finalVersion, after.Origin,
            after.Disposition));
        return new FindingChange(events, state.Status);
    }

    /// <summary>A triage command; null when the finding is already in the target status.</summary>
    public static FindingChange? Triage(FindingState state, FindingStatus target, string by, string? reason, DateTimeOffset? until, DateTimeOffset now)
    {
        if (state.Status == target && target != FindingStatus.Suppressed)
        {
            return null;
        }

        object @event = target switch
        {
            FindingStatus.Acknowledged => new FindingAcknowledged(reason),
            FindingStatus.Resolved => new FindingResolved(reason),
            FindingStatus.Suppressed => new FindingSuppressed(reason, until),
            _ => new FindingReopened(reason),
        };
        var version = state.Version + 2;
        return new FindingChange([@event, new FindingStatusChanged(state.Id, state.RuleId, state.Status, target, by, reason, until, now, version)], state.Status);
    }

    private static string? ReopenReason(FindingState state, OccurrencesRecorded recorded, TimeSpan deduplicationWindow, DateTimeOffset now) => state.Status switch
    {
        FindingStatus.Resolved => "new occurrence after it was resolved",
        FindingStatus.Suppressed when state.SuppressedUntil is { } until && until <= now => "new occurrence after its suppression ended",
        FindingStatus.Acknowledged when recorded.Count > 0 && recorded.FirstSeenAt > state.LastSeenAt + deduplicationWindow =>
            "new occurrence after a quiet period longer than the deduplication window",
        _ => null,
    };

    private static void AddAutoSuppression(List<object> events, FindingState state, SuppressionRules suppressions)
    {
        var candidate = new SuppressionCandidate(
            state.RuleId, state.Severity.ToString().ToLowerInvariant(), state.Principal, state.Account, state.Region, state.SourceIps, state.Resources);
        if (suppressions.Match(candidate) is { } rule)
        {
            events.Add(new FindingSuppressed(rule.Reason, rule.ExpiresAt, rule.Name));
        }
    }

    private static FindingState Fold(FindingState state, IEnumerable<object> events) => events.Aggregate(state, FindingState.Apply);
}
