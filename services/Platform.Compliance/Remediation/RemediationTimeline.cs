using Platform.Compliance.Timeline;

namespace Platform.Compliance.Remediation;

/// <summary>A resource's remediations on its timeline: each request, attempt and outcome, under every rule that remediated it.</summary>
public sealed class RemediationTimeline(RemediationExecutions executions, EventStore store) : ITimelineSource
{
    public const string EntryType = "Remediation";

    public async Task<IReadOnlyList<TimelineEntry>> ReadAsync(string resourceType, string resourceId, CancellationToken cancellationToken)
    {
        var entries = new List<TimelineEntry>();
        foreach (var rule in await executions.RulesOfAsync(resourceType, resourceId, cancellationToken))
        {
            var stream = RemediationStreams.StreamId(rule, resourceType, resourceId);
            foreach (var recorded in await store.ReadStreamAsync(stream, cancellationToken))
            {
                entries.Add(new TimelineEntry(recorded.RecordedAt, EntryType, $"{rule}: {Summary(recorded.Data)}",
                    JsonSerializer.SerializeToElement(recorded.Data, recorded.Data.GetType(), PlatformJson.Options), stream, recorded.StreamVersion));
            }
        }
        return [.. entries.OrderBy(e => e.At).ThenBy(e => e.Stream, StringComparer.Ordinal).ThenBy(e => e.Version)];
    }

    private static string Summary(object data) => data switch
    {
        RemediationQueued { Automatic: true } queued => $"remediation queued automatically (verdict {queued.ComplianceVersion})",
        RemediationQueued queued => $"remediation requested by {queued.Actor}",
        RemediationAttemptStarted started => $"remediation attempt {started.Attempt} started ({started.TargetId}){(started.Resumed ? ", resumed" : "")}",
        RemediationCompleted completed => $"remediation attempt {completed.Attempt} succeeded ({completed.TargetId})",
        RemediationFailed { WillRetry: true } failed => $"remediation attempt {failed.Attempt} failed: {failed.Reason}; it is retried",
        RemediationFailed { Automatic: true } failed => $"remediation attempt {failed.Attempt} failed: {failed.Reason}; no attempts left, flagged",
        RemediationFailed failed => $"remediation attempt {failed.Attempt} failed: {failed.Reason}",
        RemediationHeld held => $"remediation held: {held.Reason}",
        _ => data.GetType().Name,
    };
}
