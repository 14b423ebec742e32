namespace Platform.Ingestion.Tests.Service;

/// <summary>The shared AWS samples, and payloads built from them.</summary>
public static class Samples
{
    public static byte[] Read(params string[] path) => File.ReadAllBytes(SharedData.PathOf(["data", .. path]));

    public static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }
        return buffer.ToArray();
    }

    /// <summary>A gzipped DATA_MESSAGE of text log events with fresh ids; <paramref name="ids"/> receives them.</summary>
    public static byte[] FreshSubscriptionPayload(int events, List<string> ids, string logGroup = "fresh-group")
    {
        var logEvents = new JsonArray();
        for (var i = 0; i < events; i++)
        {
            var id = Guid.NewGuid().ToString("N");
            ids.Add(id);
            logEvents.Add(new JsonObject { ["id"] = id, ["timestamp"] = 1_700_000_000_000 + i, ["message"] = $"line {i} of {id}" });
        }
        var message = new JsonObject
        {
            ["messageType"] = "DATA_MESSAGE",
            ["owner"] = "111122223333",
            ["logGroup"] = logGroup,
            ["logStream"] = "stream",
            ["subscriptionFilters"] = new JsonArray("all"),
            ["logEvents"] = logEvents,
        };
        return Gzip(Encoding.UTF8.GetBytes(message.ToJsonString()));
    }
}
