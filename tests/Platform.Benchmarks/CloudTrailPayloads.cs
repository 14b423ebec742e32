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

    /// <summary>One DATA_MESSAGE carrying the records as its log events.</summary>
    public static byte[] Payload(IEnumerable<(string Id, long Timestamp, JsonObject Record)> events) =>
        SubscriptionMessages.Gzip(
            SubscriptionMessages.DataMessage(
                events.Select(e => SubscriptionMessages.LogEvent(e.Id, e.Timestamp, e.Record.ToJsonString(AsAwsWritesIt))),
                "aws-cloudtrail-logs-123456789012"),
            AsAwsWritesIt,
            CompressionLevel.Optimal);
}
