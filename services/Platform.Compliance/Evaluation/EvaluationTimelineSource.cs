using Platform.Compliance.Timeline;

namespace Platform.Compliance.Evaluation;

/// <summary>
/// The evaluation entries of a resource's timeline: every change of compliance type any rule (deleted ones included)
/// recorded in the resource's evaluation streams (<c>evaluations/&lt;rule&gt;/&lt;type&gt;/&lt;id&gt;</c>), found by the
/// streams' common end.
/// </summary>
public sealed class EvaluationTimelineSource(ComplianceDbContext db) : ITimelineSource
{
    public const string EntryType = "Evaluation";

    public async Task<IReadOnlyList<TimelineEntry>> ReadAsync(string resourceType, string resourceId, CancellationToken cancellationToken)
    {
        // reverse(stream_id) starts with the reversed "/<type>/<id>": the index on it finds the streams, and the events'
        // own type and id rule out a rule name that happens to end the same way.
        var reversedEnd = EscapeLike(string.Concat($"/{resourceType}/{resourceId}".EnumerateRunes().Reverse())) + "%";
        var rows = await db.Events.FromSql($"""
                SELECT * FROM es_events
                WHERE stream_id LIKE 'evaluations/%' AND reverse(stream_id) LIKE {reversedEnd} ESCAPE '\'
                  AND event_type = {nameof(ComplianceChanged)}
                """)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        var entries = new List<TimelineEntry>(rows.Count);
        foreach (var row in rows)
        {
            var change = JsonSerializer.Deserialize<ComplianceChanged>(row.Data, PlatformJson.Options)!;
            if (change.ResourceType != resourceType || change.ResourceId != resourceId)
            {
                continue;
            }
            entries.Add(new TimelineEntry(
                row.RecordedAt, EntryType,
                $"{change.ConfigRuleName}: {change.OldComplianceType ?? "(none)"} → {change.NewComplianceType}",
                JsonSerializer.SerializeToElement(change, PlatformJson.Options), row.StreamId, row.StreamVersion));
        }
        return entries.OrderBy(e => e.At).ThenBy(e => e.Stream, StringComparer.Ordinal).ThenBy(e => e.Version).ToList();
    }

    private static string EscapeLike(string text) => text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
