using Platform.Contracts.Ingestion;

namespace Platform.Compliance.Tests;

/// <summary>
/// CloudTrail calls ingested as LogEventsIngested change the affected resource within seconds: a derived item (origin
/// cloudtrail) on top of the current one, published on the broker as ConfigurationItemRecorded.
/// </summary>
[Collection(IntakeCollection.Name)]
public sealed class Deriving_configuration_from_cloudtrail(IntakeHost host)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private static NormalizedLogEvent Call(string source, string name, JsonObject parameters, DateTimeOffset at, string? errorCode = null)
    {
        var record = new JsonObject
        {
            ["eventVersion"] = "1.08",
            ["userIdentity"] = new JsonObject { ["type"] = "IAMUser", ["arn"] = $"arn:aws:iam::{ConfigurationSamples.Account}:user/mallory" },
            ["eventTime"] = at.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["eventSource"] = source,
            ["eventName"] = name,
            ["awsRegion"] = "us-east-1",
            ["sourceIPAddress"] = "203.0.113.7",
            ["requestParameters"] = parameters,
            ["responseElements"] = null,
            ["eventID"] = Guid.NewGuid().ToString(),
            ["recipientAccountId"] = ConfigurationSamples.Account,
        };
        if (errorCode is not null)
        {
            record["errorCode"] = errorCode;
        }
        return NormalizedCloudTrail.From(record);
    }

    private async Task<List<ConfigurationItemRecorded>> HeardAsync(string resourceId, int count) =>
        await Eventually.ObserveAsync(
            () => Task.FromResult(host.Heard.Where(h => h.Item.ResourceId == resourceId).OrderBy(h => h.Version).ToList()),
            heard => heard.Count >= count, TimeSpan.FromSeconds(10));

    [Fact]
    public async Task StopLogging_turns_the_trails_IsLogging_false_within_seconds_keeping_the_rest()
    {
        var trail = TestNames.Unique("stop");
        await host.PostItemsAsync(ConfigurationSamples.NotificationTrail(trail, T0, isLogging: true).ToJsonString());

        await host.PublishAsync(IngestedBatches.Of(Call("cloudtrail.amazonaws.com", "StopLogging",
            new JsonObject { ["name"] = $"arn:aws:cloudtrail:us-east-1:{ConfigurationSamples.Account}:trail/{trail}" }, T0.AddMinutes(1))));

        var heard = await HeardAsync(trail, 2);
        var stopped = heard[1];
        Assert.Equal(("cloudtrail", "StopLogging", 2L), (stopped.Origin, stopped.CloudTrailEventName, stopped.Version));
        var status = stopped.Item.SupplementaryConfiguration!.Value.GetProperty("TrailStatus");
        Assert.False(status.GetProperty("IsLogging").GetBoolean());
        Assert.Equal(1, status.GetProperty("LatestDeliveryTime").GetInt32());
        Assert.Equal("trail-logs", stopped.Item.Configuration!.Value.GetProperty("s3BucketName").GetString());
        Assert.Equal(T0.AddMinutes(1), stopped.Item.CaptureTime);
    }

    [Fact]
    public async Task A_failed_call_changes_nothing_and_a_redelivered_batch_records_nothing_twice()
    {
        var trail = TestNames.Unique("redeliver");
        await host.PostItemsAsync(ConfigurationSamples.NotificationTrail(trail, T0, isLogging: true).ToJsonString());
        var failed = Call("cloudtrail.amazonaws.com", "StopLogging", new JsonObject { ["name"] = trail }, T0.AddMinutes(1), errorCode: "AccessDenied");
        var stop = Call("cloudtrail.amazonaws.com", "StopLogging", new JsonObject { ["name"] = trail }, T0.AddMinutes(2));
        var batch = IngestedBatches.Of(failed, stop);

        await host.PublishAsync(batch);
        await HeardAsync(trail, 2);
        // A newer item arrives, then the batch again: the event was handled, so nothing is derived from the newer item.
        await host.PostItemsAsync(ConfigurationSamples.NotificationTrail(trail, T0.AddMinutes(5), isLogging: true).ToJsonString());
        await host.PublishAsync(batch);
        await host.PublishAsync(IngestedBatches.Of(Call("cloudtrail.amazonaws.com", "StartLogging", new JsonObject { ["name"] = trail }, T0.AddMinutes(6))));
        var heard = await HeardAsync(trail, 4);

        Assert.Equal(["api", "cloudtrail", "api", "cloudtrail"], heard.Select(h => h.Origin));
        Assert.Equal("StartLogging", heard[3].CloudTrailEventName);
        Assert.Equal(4, (await host.HistoryAsync("AWS::CloudTrail::Trail", trail)).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Bucket_encryption_and_policy_calls_change_only_what_they_changed()
    {
        var bucket = TestNames.Unique("calls");
        await host.PostItemsAsync(ConfigurationSamples.ApiBucket(bucket, T0).ToJsonString());

        await host.PublishAsync(IngestedBatches.Of(
            Call("s3.amazonaws.com", "PutBucketEncryption", JsonNode.Parse($$$$"""
                {"bucketName":"{{{{bucket}}}}","Host":"{{{{bucket}}}}.s3.amazonaws.com","encryption":"",
                 "ServerSideEncryptionConfiguration":{"xmlns":"http://s3.amazonaws.com/doc/2006-03-01/",
                   "Rule":{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"arn:aws:kms:us-east-1:123456789012:key/k"},"BucketKeyEnabled":true}}}
                """)!.AsObject(), T0.AddMinutes(1)),
            Call("s3.amazonaws.com", "PutBucketPolicy", JsonNode.Parse($$$$"""
                {"bucketName":"{{{{bucket}}}}","policy":"",
                 "bucketPolicy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{{{bucket}}}}/*"}]}}
                """)!.AsObject(), T0.AddMinutes(2))));
        var heard = await HeardAsync(bucket, 3);
        var supplementary = heard[2].Item.SupplementaryConfiguration!.Value;
        var rule = supplementary.GetProperty("ServerSideEncryptionConfiguration").GetProperty("rules")[0];
        Assert.Equal("aws:kms", rule.GetProperty("applyServerSideEncryptionByDefault").GetProperty("sseAlgorithm").GetString());
        Assert.True(rule.GetProperty("bucketKeyEnabled").GetBoolean());
        Assert.Equal("*", supplementary.GetProperty("BucketPolicy").GetProperty("policyText").GetProperty("Statement")[0].GetProperty("Principal").GetString());
        Assert.Equal("security", heard[2].Item.Tags["team"]);

        await host.PublishAsync(IngestedBatches.Of(
            Call("s3.amazonaws.com", "DeleteBucketEncryption", new JsonObject { ["bucketName"] = bucket }, T0.AddMinutes(3)),
            Call("s3.amazonaws.com", "DeleteBucketPolicy", new JsonObject { ["bucketName"] = bucket }, T0.AddMinutes(4))));
        var last = (await HeardAsync(bucket, 5))[4].Item.SupplementaryConfiguration!.Value;
        Assert.False(last.TryGetProperty("ServerSideEncryptionConfiguration", out _));
        Assert.Equal(JsonValueKind.Null, last.GetProperty("BucketPolicy").GetProperty("policyText").ValueKind);
    }

    [Fact]
    public async Task DeleteTrail_records_the_trails_deletion()
    {
        var trail = TestNames.Unique("gone");
        await host.PostItemsAsync(ConfigurationSamples.NotificationTrail(trail, T0, isLogging: true).ToJsonString());
        await host.PublishAsync(IngestedBatches.Of(Call("cloudtrail.amazonaws.com", "DeleteTrail", new JsonObject { ["name"] = trail }, T0.AddMinutes(1))));

        var deleted = (await HeardAsync(trail, 2))[1].Item;
        Assert.Equal("ResourceDeleted", deleted.Status);
        Assert.Null(deleted.Configuration);
        Assert.Equal("ResourceDeleted", (await host.CurrentAsync("AWS::CloudTrail::Trail", trail))!.Value.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_password_policy_call_changes_the_accounts_item()
    {
        await host.PublishAsync(IngestedBatches.Of(Call("iam.amazonaws.com", "UpdateAccountPasswordPolicy",
            new JsonObject { ["minimumPasswordLength"] = 16, ["requireSymbols"] = true, ["maxPasswordAge"] = 90 }, T0)));

        var account = await Eventually.ObserveAsync(
            () => host.CurrentAsync("AWS::::Account", ConfigurationSamples.Account), item => item is not null, TimeSpan.FromSeconds(10));
        var policy = account!.Value.GetProperty("configuration").GetProperty("PasswordPolicy");
        Assert.Equal(16, policy.GetProperty("MinimumPasswordLength").GetInt32());
        Assert.True(policy.GetProperty("ExpirePasswords").GetBoolean());
    }
}
