namespace Platform.Compliance.Timeline;

/// <summary>
/// One contributor to a resource's timeline (<c>GET /v1/compliance/resources/{type}/{id}/timeline</c>): configuration
/// changes, evaluations, remediations each come from the part that records them; the endpoint merges them in time order.
/// </summary>
public interface ITimelineSource
{
    /// <summary>This source's entries for the resource, in time order.</summary>
    Task<IReadOnlyList<TimelineEntry>> ReadAsync(string resourceType, string resourceId, CancellationToken cancellationToken);
}

/// <summary>One thing that happened to a resource.</summary>
/// <param name="At">When it happened.</param>
/// <param name="Type"><c>ConfigurationChange</c>, <c>Evaluation</c> or <c>Remediation</c>.</param>
/// <param name="Summary">One line for people (<c>"s3-bucket-server-side-encryption-enabled: COMPLIANT → NON_COMPLIANT"</c>).</param>
/// <param name="Detail">The recorded event, as JSON.</param>
/// <param name="Stream">The stream it is recorded in, and its version there, so entries at the same instant keep their order.</param>
/// <param name="Version">Its version in <paramref name="Stream"/>.</param>
public sealed record TimelineEntry(DateTimeOffset At, string Type, string Summary, JsonElement Detail, string Stream, long Version);
