namespace Platform.Compliance.Tests;

/// <summary>
/// Config's notifications as Config delivers them: change notifications (bare and inside SNS), oversized items and
/// snapshots fetched from a local S3-compatible listener through AWSSDK.S3 (gzip or not), and what cannot be fetched.
/// </summary>
[Collection(IntakeCollection.Name)]
public sealed class Receiving_config_notifications(IntakeHost host)
{
    [Fact]
    public async Task A_change_notification_wrapped_in_sns_records_its_item_with_origin_notification()
    {
        var trail = TestNames.Unique("trail");
        var message = ConfigurationSamples.Sns(ConfigurationSamples.ChangeNotification(ConfigurationSamples.NotificationTrail(trail, DateTimeOffset.UtcNow, isLogging: true)));

        using var response = await host.PostItemsAsync(message.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var history = await host.HistoryAsync("AWS::CloudTrail::Trail", trail);
        var recorded = Assert.Single(history.GetProperty("items").EnumerateArray());
        Assert.Equal("notification", recorded.GetProperty("origin").GetString());
        Assert.True(recorded.GetProperty("item").GetProperty("supplementaryConfiguration").GetProperty("TrailStatus").GetProperty("IsLogging").GetBoolean());
    }

    [Fact]
    public async Task An_oversized_notification_fetches_its_item_from_s3_signed_and_gunzipped()
    {
        var bucket = TestNames.Unique("big");
        var key = $"AWSLogs/{ConfigurationSamples.Account}/Config/us-east-1/2026/11/30/OversizedChangeNotification/AWS::S3::Bucket/{bucket}/item.json.gz";
        var item = ConfigurationSamples.ApiBucket(bucket, DateTimeOffset.UtcNow, encrypted: true);
        host.S3.Put("config-bucket", key, IntakeHost.Gzip(ConfigurationSamples.ChangeNotification(item).ToJsonString()));
        var notification = new JsonObject
        {
            ["configurationItemSummary"] = new JsonObject { ["resourceType"] = "AWS::S3::Bucket", ["resourceId"] = bucket },
            ["s3DeliverySummary"] = new JsonObject { ["s3BucketLocation"] = $"config-bucket/{key}", ["errorCode"] = null, ["errorMessage"] = null },
            ["notificationCreationTime"] = DateTimeOffset.UtcNow.ToString("O"),
            ["messageType"] = "OversizedConfigurationItemChangeNotification",
            ["recordVersion"] = "1.0",
        };

        using var response = await host.PostItemsAsync(ConfigurationSamples.Sns(notification).ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var recorded = Assert.Single((await host.HistoryAsync("AWS::S3::Bucket", bucket)).GetProperty("items").EnumerateArray());
        Assert.Equal("oversized-notification", recorded.GetProperty("origin").GetString());
        Assert.Equal("AES256", recorded.GetProperty("item").GetProperty("supplementaryConfiguration").GetProperty("ServerSideEncryptionConfiguration")
            .GetProperty("rules")[0].GetProperty("applyServerSideEncryptionByDefault").GetProperty("sseAlgorithm").GetString());
        var request = Assert.Single(host.S3.Received, r => r.RawTarget.Contains(bucket, StringComparison.Ordinal));
        Assert.Null(request.SignatureProblem);
    }

    [Fact]
    public async Task A_snapshot_delivery_records_every_item_of_the_gzipped_snapshot_file()
    {
        var prefix = TestNames.Unique("snap");
        var key = $"AWSLogs/{ConfigurationSamples.Account}/Config/us-east-1/2026/11/30/ConfigSnapshot/{prefix}.json.gz";
        var snapshot = new JsonObject
        {
            ["fileVersion"] = "1.0",
            ["configSnapshotId"] = prefix,
            ["configurationItems"] = new JsonArray(
                ConfigurationSamples.NotificationTrail($"{prefix}-trail", DateTimeOffset.UtcNow, isLogging: false),
                ConfigurationSamples.ApiBucket($"{prefix}-bucket", DateTimeOffset.UtcNow)),
        };
        host.S3.Put("config-bucket", key, IntakeHost.Gzip(snapshot.ToJsonString()));
        var delivered = new JsonObject
        {
            ["s3ObjectKey"] = key,
            ["s3Bucket"] = "config-bucket",
            ["notificationCreationTime"] = DateTimeOffset.UtcNow.ToString("O"),
            ["messageType"] = "ConfigurationSnapshotDeliveryCompleted",
            ["configSnapshotId"] = prefix,
            ["recordVersion"] = "1.1",
        };

        using var response = await host.PostItemsAsync(ConfigurationSamples.Sns(delivered).ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recorded").GetInt32());

        var trail = (await host.CurrentAsync("AWS::CloudTrail::Trail", $"{prefix}-trail"))!.Value;
        Assert.False(trail.GetProperty("supplementaryConfiguration").GetProperty("TrailStatus").GetProperty("IsLogging").GetBoolean());
        var bucket = Assert.Single((await host.HistoryAsync("AWS::S3::Bucket", $"{prefix}-bucket")).GetProperty("items").EnumerateArray());
        Assert.Equal("snapshot", bucket.GetProperty("origin").GetString());
    }

    [Fact]
    public async Task A_notification_whose_object_is_not_in_s3_is_400_and_quarantined()
    {
        var delivered = new JsonObject
        {
            ["s3ObjectKey"] = $"missing/{Guid.NewGuid():N}.json.gz",
            ["s3Bucket"] = "config-bucket",
            ["messageType"] = "ConfigurationSnapshotDeliveryCompleted",
        };

        using var response = await host.PostItemsAsync(delivered.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var reason = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("s3ObjectKey")[0].GetString();
        Assert.Contains("NoSuchKey", reason);
    }

    [Fact]
    public async Task Iam_policy_documents_url_encoded_as_iam_returns_them_are_parsed()
    {
        var role = TestNames.Unique("role");
        var document = Uri.EscapeDataString("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""");
        var item = ConfigurationSamples.NotificationTrail(role, DateTimeOffset.UtcNow, isLogging: true);
        item["resourceType"] = "AWS::IAM::Role";
        item["awsRegion"] = "global";
        item["configuration"] = new JsonObject
        {
            ["roleName"] = role,
            ["assumeRolePolicyDocument"] = document,
            ["rolePolicyList"] = new JsonArray(new JsonObject { ["policyName"] = "inline", ["policyDocument"] = document }),
        };

        using var response = await host.PostItemsAsync(item.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var configuration = (await host.CurrentAsync("AWS::IAM::Role", role))!.Value.GetProperty("configuration");
        Assert.Equal("ec2.amazonaws.com", configuration.GetProperty("assumeRolePolicyDocument").GetProperty("Statement")[0].GetProperty("Principal").GetProperty("Service").GetString());
        Assert.Equal("Allow", configuration.GetProperty("rolePolicyList")[0].GetProperty("policyDocument").GetProperty("Statement")[0].GetProperty("Effect").GetString());
    }
}
