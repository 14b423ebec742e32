using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Ingestion;

namespace Platform.Testing;

/// <summary>A CloudTrail record as ingestion publishes it, for tests and benchmarks that feed detection without ingestion.</summary>
public static class NormalizedCloudTrail
{
    public static NormalizedLogEvent From(JsonObject record) => new(
        (string)record["eventID"]!,
        LogSourceTypes.CloudTrail,
        DateTimeOffset.Parse((string)record["eventTime"]!, CultureInfo.InvariantCulture),
        "cloudtrail-logs",
        "stream",
        (string?)record["recipientAccountId"] ?? (string?)record["userIdentity"]?["accountId"],
        (string?)record["awsRegion"],
        (string?)record["eventSource"],
        (string?)record["eventName"],
        (string?)record["userIdentity"]?["arn"],
        (string?)record["sourceIPAddress"],
        (string?)record["errorCode"],
        LogDocument.FromValidUtf8(JsonSerializer.SerializeToUtf8Bytes(record)));
}
