using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Testing;

/// <summary>
/// CloudWatch Logs subscription payloads as AWS delivers them (gzip of a DATA_MESSAGE), and the Stratus Red Team CloudTrail
/// records tests and benchmarks carry in them: built in one place, so every payload has the shape ingestion meets in production.
/// </summary>
public static class SubscriptionMessages
{
    /// <summary>Every record of the Stratus Red Team detonations, file by file in a fixed order.</summary>
    public static JsonObject[] StratusRecords() =>
        Directory.GetFiles(SharedData.StratusDirectory, "*.json")
            .Order(StringComparer.Ordinal)
            .SelectMany(file => JsonNode.Parse(File.ReadAllText(file))!.AsArray().Select(node => node!.AsObject()))
            .ToArray();

    public static JsonObject LogEvent(string id, long timestamp, string message) =>
        new() { ["id"] = id, ["timestamp"] = timestamp, ["message"] = message };

    /// <summary>
    /// <paramref name="count"/> failed logins from <paramref name="sourceIp"/>, now, as log events of the application's
    /// log lines: what the seed's <c>FailedLogins</c> filter counts.
    /// </summary>
    public static IEnumerable<JsonObject> FailedLogins(string sourceIp, int count)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return Enumerable.Range(0, count).Select(i => LogEvent(
            $"{now}{i:D4}", now, $$"""{"eventType":"LOGIN","status":"FAILED","sourceIP":"{{sourceIp}}","user":"admin{{i}}"}"""));
    }

    /// <summary>A DATA_MESSAGE carrying <paramref name="logEvents"/>; by default as a CloudTrail trail's subscription sends it.</summary>
    public static JsonObject DataMessage(
        IEnumerable<JsonObject> logEvents, string logGroup, string owner = "123456789012", string logStream = "123456789012_CloudTrail_us-east-1") => new()
        {
            ["messageType"] = "DATA_MESSAGE",
            ["owner"] = owner,
            ["logGroup"] = logGroup,
            ["logStream"] = logStream,
            ["subscriptionFilters"] = new JsonArray("all"),
            ["logEvents"] = new JsonArray([.. logEvents]),
        };

    /// <summary>The payload of <paramref name="message"/>: its JSON, gzipped.</summary>
    public static byte[] Gzip(JsonNode message, JsonSerializerOptions? options = null, CompressionLevel level = CompressionLevel.Fastest) =>
        Gzip(JsonSerializer.SerializeToUtf8Bytes(message, options), level);

    public static byte[] Gzip(byte[] data, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, level))
        {
            gzip.Write(data);
        }
        return buffer.ToArray();
    }
}
