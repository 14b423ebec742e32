using System.Text.Json.Nodes;

namespace Platform.Testing;

/// <summary>CloudTrail records tests build, shaped as CloudTrail writes them.</summary>
public static class CloudTrailRecords
{
    /// <summary>alice creating an access key for bob, now: what the seed's <c>iam-changes</c> rule catches.</summary>
    public static JsonObject CreateAccessKey(string eventId) => new()
    {
        ["eventVersion"] = "1.08",
        ["userIdentity"] = new JsonObject { ["type"] = "IAMUser", ["arn"] = "arn:aws:iam::123456789012:user/alice", ["accountId"] = "123456789012" },
        ["eventTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        ["eventSource"] = "iam.amazonaws.com",
        ["eventName"] = "CreateAccessKey",
        ["awsRegion"] = "us-east-1",
        ["sourceIPAddress"] = "198.51.100.7",
        ["requestParameters"] = new JsonObject { ["userName"] = "bob" },
        ["eventID"] = eventId,
        ["eventType"] = "AwsApiCall",
        ["recipientAccountId"] = "123456789012",
    };
}
