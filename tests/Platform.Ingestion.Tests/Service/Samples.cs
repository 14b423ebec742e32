namespace Platform.Ingestion.Tests.Service;

/// <summary>The shared AWS samples, and payloads built from them.</summary>
public static class Samples
{
    public static byte[] Read(params string[] path) => File.ReadAllBytes(SharedData.PathOf(["data", .. path]));

    /// <summary>A gzipped DATA_MESSAGE of text log events with fresh ids; <paramref name="ids"/> receives them.</summary>
    public static byte[] FreshSubscriptionPayload(int events, List<string> ids, string logGroup = "fresh-group")
    {
        var logEvents = new List<JsonObject>(events);
        for (var i = 0; i < events; i++)
        {
            var id = Guid.NewGuid().ToString("N");
            ids.Add(id);
            logEvents.Add(SubscriptionMessages.LogEvent(id, 1_700_000_000_000 + i, $"line {i} of {id}"));
        }
        return SubscriptionMessages.Gzip(SubscriptionMessages.DataMessage(logEvents, logGroup, owner: "111122223333", logStream: "stream"));
    }
}
