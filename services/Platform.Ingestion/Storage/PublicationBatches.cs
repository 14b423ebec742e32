namespace Platform.Ingestion.Storage;

/// <summary>
/// How a publication's events are cut into <c>LogEventsIngested</c> batches. The cut is made once, when the publication
/// is stored, and recorded with it (<c>pending_publications.batch_starts</c>): published again after a crash, a
/// publication is cut where it was cut the first time, so its batches keep their ids (derived from their events) even
/// if <c>Ingestion:PublishBatchSize</c> or <c>PublishBatchBytes</c> changed in between.
/// </summary>
public static class PublicationBatches
{
    /// <summary>
    /// Where each batch begins (positions in <paramref name="events"/>, the first 0): at most <paramref name="maxEvents"/>
    /// events and about <paramref name="maxBytes"/> bytes of JSON (<see cref="JsonBytesOf"/>) a batch, closed before the
    /// event that would pass either; an event larger than that alone.
    /// </summary>
    public static int[] Starts(IReadOnlyList<NormalizedLogEvent> events, int maxEvents, int maxBytes)
    {
        var starts = new List<int>();
        var start = 0;
        long bytes = 0;
        for (var i = 0; i < events.Count; i++)
        {
            var size = JsonBytesOf(events[i]);
            if (i > start && (i - start == maxEvents || bytes + size > maxBytes))
            {
                starts.Add(start);
                (start, bytes) = (i, 0);
            }
            bytes += size;
        }
        if (start < events.Count)
        {
            starts.Add(start);
        }
        return [.. starts];
    }

    /// <summary>The events cut at <paramref name="starts"/> (ascending, the first 0), each batch in the events' order.</summary>
    public static List<NormalizedLogEvent[]> Cut(IReadOnlyList<NormalizedLogEvent> events, IReadOnlyList<int> starts)
    {
        var batches = new List<NormalizedLogEvent[]>(starts.Count);
        for (var b = 0; b < starts.Count; b++)
        {
            var (from, to) = (starts[b], b + 1 < starts.Count ? starts[b + 1] : events.Count);
            var batch = new NormalizedLogEvent[to - from];
            for (var i = from; i < to; i++)
            {
                batch[i - from] = events[i];
            }
            batches.Add(batch);
        }
        return batches;
    }

    /// <summary>
    /// About how many bytes an event takes in a message: its document as it is, its fields' values, and 256 for the
    /// field names, the time and the punctuation (about 200 written). An estimate, not the serialiser's count: a value
    /// it escapes takes more.
    /// </summary>
    private static long JsonBytesOf(NormalizedLogEvent e) =>
        256L + e.Document.Utf8Length + e.EventId.Length + e.SourceType.Length
        + (e.LogGroup?.Length ?? 0) + (e.LogStream?.Length ?? 0) + (e.Account?.Length ?? 0) + (e.Region?.Length ?? 0)
        + (e.EventSource?.Length ?? 0) + (e.EventName?.Length ?? 0) + (e.Principal?.Length ?? 0)
        + (e.SourceIp?.Length ?? 0) + (e.ErrorCode?.Length ?? 0);
}
