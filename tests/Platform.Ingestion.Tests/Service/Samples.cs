namespace Platform.Ingestion.Tests.Service;

/// <summary>The shared AWS samples, and payloads built from them.</summary>
public static class Samples
{
    public static byte[] Read(params string[] path) => File.ReadAllBytes(SharedData.PathOf(["data", .. path]));

    /// <summary>A gzipped DATA_MESSAGE of text log events with fresh ids; <paramref name="ids"/> receives them.</summary>
    public static byte[] FreshSubscriptionPayload(int events, List<string> ids, string logGroup = "fresh-group")
    {
        var fresh = Enumerable.Range(0, events).Select(i => (Guid.NewGuid().ToString("N"), 1_700_000_000_000L + i)).ToList();
        ids.AddRange(fresh.Select(e => e.Item1));
        return SubscriptionPayload(fresh, logGroup);
    }

    /// <summary>A gzipped DATA_MESSAGE of text log events with these ids and timestamps (milliseconds), in this order.</summary>
    public static byte[] SubscriptionPayload(IEnumerable<(string Id, long Timestamp)> events, string logGroup = "fresh-group") =>
        SubscriptionMessages.Gzip(SubscriptionMessages.DataMessage(
            [.. events.Select((e, i) => SubscriptionMessages.LogEvent(e.Id, e.Timestamp, $"line {i} of {e.Id}"))],
            logGroup, owner: "111122223333", logStream: "stream"));
}
