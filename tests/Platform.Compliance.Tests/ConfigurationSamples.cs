namespace Platform.Compliance.Tests;

/// <summary>Configuration items in AWS Config's shapes, for the intake tests.</summary>
public static class ConfigurationSamples
{
    public const string Account = "123456789012";

    /// <summary>A bucket item in the API shape (GetResourceConfigHistory: configuration and supplementary values as JSON text).</summary>
    public static JsonObject ApiBucket(string bucket, DateTimeOffset capturedAt, string? policyText = null, bool encrypted = false)
    {
        var supplementary = new JsonObject();
        if (policyText is not null)
        {
            supplementary["BucketPolicy"] = new JsonObject { ["policyText"] = policyText }.ToJsonString();
        }
        if (encrypted)
        {
            supplementary["ServerSideEncryptionConfiguration"] =
                """{"rules":[{"applyServerSideEncryptionByDefault":{"sseAlgorithm":"AES256","kmsMasterKeyID":null}}]}""";
        }
        return new JsonObject
        {
            ["version"] = "1.3",
            ["awsAccountId"] = Account,
            ["configurationItemCaptureTime"] = capturedAt.ToString("O"),
            ["configurationItemStatus"] = "OK",
            ["configurationStateId"] = "1",
            ["arn"] = $"arn:aws:s3:::{bucket}",
            ["resourceType"] = "AWS::S3::Bucket",
            ["resourceId"] = bucket,
            ["resourceName"] = bucket,
            ["awsRegion"] = "us-east-1",
            ["availabilityZone"] = "Regional",
            ["tags"] = new JsonObject { ["team"] = "security" },
            ["relationships"] = new JsonArray(),
            ["configuration"] = new JsonObject { ["name"] = bucket, ["owner"] = new JsonObject { ["id"] = "abc" } }.ToJsonString(),
            ["supplementaryConfiguration"] = supplementary,
        };
    }

    /// <summary>A trail item in the notification shape, logging or not (TrailStatus as GetTrailStatus answers).</summary>
    public static JsonObject NotificationTrail(string trail, DateTimeOffset capturedAt, bool isLogging) => new()
    {
        ["configurationItemVersion"] = "1.3",
        ["accountId"] = Account,
        ["configurationItemCaptureTime"] = capturedAt.ToString("O"),
        ["configurationItemStatus"] = "OK",
        ["ARN"] = $"arn:aws:cloudtrail:us-east-1:{Account}:trail/{trail}",
        ["resourceType"] = "AWS::CloudTrail::Trail",
        ["resourceId"] = trail,
        ["awsRegion"] = "us-east-1",
        ["configuration"] = new JsonObject { ["name"] = trail, ["s3BucketName"] = "trail-logs", ["isMultiRegionTrail"] = true },
        ["supplementaryConfiguration"] = new JsonObject { ["TrailStatus"] = new JsonObject { ["IsLogging"] = isLogging, ["LatestDeliveryTime"] = 1 } },
        ["tags"] = new JsonObject(),
        ["relationships"] = new JsonArray(),
    };

    /// <summary>Config's change notification around <paramref name="item"/>.</summary>
    public static JsonObject ChangeNotification(JsonObject item) => new()
    {
        ["configurationItemDiff"] = null,
        ["configurationItem"] = item,
        ["notificationCreationTime"] = DateTimeOffset.UtcNow.ToString("O"),
        ["messageType"] = "ConfigurationItemChangeNotification",
        ["recordVersion"] = "1.3",
    };

    /// <summary>An SNS notification carrying <paramref name="message"/> as its Message text, as Config delivers to a subscription.</summary>
    public static JsonObject Sns(JsonObject message) => new()
    {
        ["Type"] = "Notification",
        ["MessageId"] = Guid.NewGuid().ToString(),
        ["TopicArn"] = $"arn:aws:sns:us-east-1:{Account}:config-topic",
        ["Subject"] = "[AWS Config:us-east-1] AWS::S3::Bucket changed",
        ["Message"] = message.ToJsonString(),
        ["Timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
    };

}
