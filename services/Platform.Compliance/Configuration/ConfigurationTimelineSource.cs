using Platform.Compliance.Timeline;

namespace Platform.Compliance.Configuration;

/// <summary>The configuration changes of a resource's timeline: every item of its configuration stream, at its capture time.</summary>
public sealed class ConfigurationTimelineSource(EventStore store) : ITimelineSource
{
    public const string EntryType = "ConfigurationChange";

    public async Task<IReadOnlyList<TimelineEntry>> ReadAsync(string resourceType, string resourceId, CancellationToken cancellationToken)
    {
        var stream = ConfigurationRecorder.StreamOf(resourceType, resourceId);
        var events = await store.ReadStreamAsync(stream, cancellationToken);
        return events
            .Select(e => (Recorded: (ConfigurationItemRecorded)e.Data, e.StreamVersion))
            .Select(e => new TimelineEntry(
                e.Recorded.Item.CaptureTime, EntryType, Summarize(e.Recorded), JsonSerializer.SerializeToElement(e.Recorded, PlatformJson.Options),
                stream, e.StreamVersion))
            .OrderBy(e => e.At)
            .ThenBy(e => e.Version)
            .ToList();
    }

    /// <summary>One line: <c>"Configuration changed (cloudtrail: StopLogging)"</c>, <c>"Resource deleted (notification)"</c>.</summary>
    public static string Summarize(ConfigurationItemRecorded recorded)
    {
        var what = recorded.Item.IsDeleted ? "Resource deleted" : recorded.Version == 1 ? "Configuration recorded" : "Configuration changed";
        return recorded.CloudTrailEventName is { } call ? $"{what} ({recorded.Origin}: {call})" : $"{what} ({recorded.Origin})";
    }
}
