using System.Text.Encodings.Web;

namespace Platform.Benchmarks;

/// <summary>
/// Gzipped CloudWatch Logs subscription payloads of the Stratus Red Team CloudTrail records, written as AWS writes
/// them: a message's quotes escaped as <c>\"</c> (see ../shared/data/subscription-payloads), where .NET's default,
/// HTML-safe encoder would write each as <c>\u0022</c>.
/// </summary>
internal static class CloudTrailPayloads
{
    private static readonly JsonSerializerOptions AsAwsWritesIt = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The sample's records, in a fixed order.</summary>
    public static JsonObject[] Records() =>
        Directory.GetFiles(SharedData.PathOf("data", "cloudtrail", "stratus-detonations"), "*.json")
            .Order(StringComparer.Ordinal)
            .SelectMany(file => JsonNode.Parse(File.ReadAllText(file))!.AsArray().Select(node => node!.AsObject()))
            .ToArray();

    /// <summary>One DATA_MESSAGE carrying the records as its log events.</summary>
    public static byte[] Payload(IEnumerable<(string Id, long Timestamp, JsonObject Record)> events)
    {
        var logEvents = new JsonArray();
        foreach (var (id, timestamp, record) in events)
        {
            logEvents.Add(new JsonObject
            {
                ["id"] = id,
                ["timestamp"] = timestamp,
                ["message"] = record.ToJsonString(AsAwsWritesIt),
            });
        }
        var message = new JsonObject
        {
            ["messageType"] = "DATA_MESSAGE",
            ["owner"] = "123456789012",
            ["logGroup"] = "aws-cloudtrail-logs-123456789012",
            ["logStream"] = "123456789012_CloudTrail_us-east-1",
            ["subscriptionFilters"] = new JsonArray("all"),
            ["logEvents"] = logEvents,
        };
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
        {
            JsonSerializer.Serialize(gzip, message, AsAwsWritesIt);
        }
        return buffer.ToArray();
    }
}
