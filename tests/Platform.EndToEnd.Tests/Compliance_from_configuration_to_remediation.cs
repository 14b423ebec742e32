using System.Diagnostics;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// Compliance across the real services: rules and remediation provisioned through provisioning's API, configuration
/// items posted to compliance, CloudTrail records arriving through ingestion (HTTP and Kinesis), and a local S3 that
/// checks each request's signature standing for AWS.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class Compliance_from_configuration_to_remediation(PlatformServices platform)
{
    private const string Region = "us-east-1";

    private HttpClient Admin(string service) => platform.Service(service).Host.CreateClient(ServiceHost<ProvisioningDbContext>.AdminKey);

    /// <summary>A fresh 12-digit account, so each test's account-level verdicts are its own.</summary>
    private static string NewAccount() => string.Concat(Guid.NewGuid().ToString("N").Where(char.IsDigit).Concat("000000000000"))[..12];

    /// <summary>Provisions a managed rule as the seed's put_config_rule call does, and waits until compliance knows it.</summary>
    private async Task ManagedRuleAsync(string name, string identifier)
    {
        using var provisioning = Admin("provisioning");
        await provisioning.PutResourceAsync("config-rules", name, new { ConfigRuleName = name, Source = new { Owner = "AWS", SourceIdentifier = identifier } });
        using var compliance = Admin("compliance");
        var status = await Eventually.ObserveAsync(
            async () => (await compliance.GetAsync($"/v1/compliance/rules/{name}")).StatusCode, s => s == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    /// <summary>Posts to compliance, as Config records it, the discovery (a second ago, no tags) of the account's resource.</summary>
    private async Task PostDiscoveredItemAsync(string type, string id, string account, string arn, JsonObject configuration)
    {
        var item = new JsonObject
        {
            ["resourceType"] = type,
            ["resourceId"] = id,
            ["resourceName"] = id,
            ["awsAccountId"] = account,
            ["awsRegion"] = Region,
            ["arn"] = arn,
            ["configurationItemCaptureTime"] = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O"),
            ["configurationItemStatus"] = "ResourceDiscovered",
            ["configuration"] = configuration,
            ["supplementaryConfiguration"] = new JsonObject(),
            ["tags"] = new JsonObject(),
        };
        using var compliance = Admin("compliance");
        using var response = await compliance.PostAsync("/v1/configuration-items",
            new StringContent(item.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The rule's current verdict on the resource; null while it has none.</summary>
    private async Task<string?> VerdictAsync(string rule, string type, string id)
    {
        using var compliance = Admin("compliance");
        using var response = await compliance.GetAsync($"/v1/compliance/resources/{type}/{Uri.EscapeDataString(id)}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("evaluations").EnumerateArray()
            .Where(e => e.GetProperty("configRuleName").GetString() == rule)
            .Select(e => e.GetProperty("complianceType").GetString())
            .FirstOrDefault();
    }

    private Task<string?> ObserveVerdictAsync(string rule, string type, string id, string expected, TimeSpan? within = null) =>
        Eventually.ObserveAsync(() => VerdictAsync(rule, type, id), v => v == expected, within);

    private static JsonObject CloudTrailRecord(string account, string eventSource, string eventName, JsonObject requestParameters) => new()
    {
        ["eventVersion"] = "1.08",
        ["userIdentity"] = new JsonObject { ["type"] = "IAMUser", ["arn"] = $"arn:aws:iam::{account}:user/mallory", ["accountId"] = account },
        ["eventTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        ["eventSource"] = eventSource,
        ["eventName"] = eventName,
        ["awsRegion"] = Region,
        ["sourceIPAddress"] = "198.51.100.7",
        ["requestParameters"] = requestParameters,
        ["eventID"] = Guid.NewGuid().ToString(),
        ["eventType"] = "AwsApiCall",
        ["recipientAccountId"] = account,
    };

    [Fact]
    public async Task An_unencrypted_bucket_is_found_non_compliant_remediated_through_a_signed_PutBucketEncryption_and_found_compliant_again()
    {
        var rule = Unique("s3-bucket-server-side-encryption-enabled");
        var bucket = Unique("audit-logs");
        var account = NewAccount();
        await ManagedRuleAsync(rule, "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED");
        using (var provisioning = Admin("provisioning"))
        {
            // The seed's remediation as written (its parameter names are names, kept as they are).
            await provisioning.PutResourceAsync("remediations", rule, JsonNode.Parse(SeedRemediations.S3BucketEncryption(rule))!);
        }
        await Task.Delay(TimeSpan.FromSeconds(2)); // the remediation reaches compliance on the bus

        // Config records the bucket, without default encryption.
        await PostDiscoveredItemAsync("AWS::S3::Bucket", bucket, account, $"arn:aws:s3:::{bucket}",
            new JsonObject { ["name"] = bucket, ["creationDate"] = "2026-11-30T08:00:00.000Z" });
        Assert.Equal("NON_COMPLIANT", await ObserveVerdictAsync(rule, "AWS::S3::Bucket", bucket, "NON_COMPLIANT"));

        // The automatic remediation calls S3, signed as S3 checks it.
        var put = await Eventually.ObserveAsync(
            () => Task.FromResult(platform.S3.Received.FirstOrDefault(r => r.Method == "PUT" && r.RawTarget.StartsWith($"/{bucket}", StringComparison.Ordinal))),
            r => r is not null, TimeSpan.FromSeconds(60));
        Assert.NotNull(put);
        Assert.Contains("?encryption", put.RawTarget, StringComparison.Ordinal);
        Assert.Null(put.SignatureProblem);
        Assert.Contains("<SSEAlgorithm>AES256</SSEAlgorithm>", put.Body, StringComparison.Ordinal);

        // CloudTrail logs that call; through ingestion it changes the bucket's configuration, and the rule judges it again.
        // Its eventTime has whole seconds, as CloudTrail's: the record is made in the second after the call was seen, so
        // its time is not earlier than the call's.
        await Task.Delay(TimeSpan.FromMilliseconds(1010 - DateTimeOffset.UtcNow.Millisecond));
        using (var ingestion = Admin("ingestion"))
        {
            var record = CloudTrailRecord(account, "s3.amazonaws.com", "PutBucketEncryption", new JsonObject
            {
                ["bucketName"] = bucket,
                ["ServerSideEncryptionConfiguration"] = new JsonObject
                {
                    ["Rule"] = new JsonObject { ["ApplyServerSideEncryptionByDefault"] = new JsonObject { ["SSEAlgorithm"] = "AES256" } },
                },
                ["encryption"] = "",
                ["Host"] = $"{bucket}.s3.amazonaws.com",
            });
            using var body = new StringContent(new JsonObject { ["Records"] = new JsonArray(record) }.ToJsonString(), Encoding.UTF8, "application/json");
            (await ingestion.PostAsync("/v1/ingest/cloudtrail", body)).EnsureSuccessStatusCode();
        }
        Assert.Equal("COMPLIANT", await ObserveVerdictAsync(rule, "AWS::S3::Bucket", bucket, "COMPLIANT", TimeSpan.FromSeconds(60)));

        // The resource's timeline tells it in order, once the attempt's success is on it too (the runner records it after
        // S3's answer, and on a loaded machine that can come after CloudTrail's record and the new verdict).
        using var compliance = Admin("compliance");
        var story = await Eventually.ObserveAsync(async () =>
        {
            var timeline = await compliance.GetFromJsonAsync<JsonElement>($"/v1/compliance/resources/AWS::S3::Bucket/{bucket}/timeline");
            return timeline.EnumerateArray().Select(e => (Type: e.GetProperty("type").GetString()!, Summary: e.GetProperty("summary").GetString()!)).ToList();
        }, entries => entries.Exists(e => e.Type == "Remediation" && e.Summary.Contains("attempt 1 succeeded", StringComparison.Ordinal)), TimeSpan.FromSeconds(60));
        int IndexOf(string type, string contains) => story.FindIndex(e => e.Type == type && e.Summary.Contains(contains, StringComparison.Ordinal));
        var recorded = IndexOf("ConfigurationChange", "Configuration recorded");
        var nonCompliant = IndexOf("Evaluation", "→ NON_COMPLIANT");
        var started = IndexOf("Remediation", "attempt 1 started");
        var remediated = IndexOf("Remediation", "attempt 1 succeeded");
        // The change is dated by the call CloudTrail logged, made while the attempt ran (before its success was recorded).
        var changed = IndexOf("ConfigurationChange", "PutBucketEncryption");
        var compliant = IndexOf("Evaluation", "NON_COMPLIANT → COMPLIANT");
        Assert.True(
            recorded >= 0 && recorded < nonCompliant && nonCompliant < started && started < changed && started < remediated
            && changed < compliant,
            "timeline out of order: " + string.Join(" | ", story.Select(e => $"{e.Type}: {e.Summary}")));
    }

    [Fact]
    public async Task A_stop_logging_call_through_kinesis_turns_cloudtrail_enabled_non_compliant_within_ten_seconds()
    {
        var rule = Unique("cloudtrail-enabled");
        var account = NewAccount();
        var trail = Unique("management-events");
        await ManagedRuleAsync(rule, "CLOUD_TRAIL_ENABLED");
        var trailArn = $"arn:aws:cloudtrail:{Region}:{account}:trail/{trail}";
        await PostDiscoveredItemAsync("AWS::CloudTrail::Trail", trail, account, trailArn, new JsonObject
        {
            ["name"] = trail, ["s3BucketName"] = "trail-bucket", ["isMultiRegionTrail"] = true, ["homeRegion"] = Region, ["trailARN"] = trailArn,
        });
        Assert.Equal("COMPLIANT", await ObserveVerdictAsync(rule, "AWS::::Account", account, "COMPLIANT"));

        // The trail's log group subscribed to Kinesis, read by a source, as the seed sets it up.
        await using var stream = await KinesisTestStream.CreateAsync(1, "trail-changes");
        var logGroup = Unique("aws-cloudtrail-logs");
        using (var provisioning = Admin("provisioning"))
        {
            await provisioning.PutResourceAsync("log-groups", logGroup, new { retentionInDays = 30 });
            await provisioning.PutResourceAsync("sources", Unique("security-logs"), new
            {
                streamName = stream.Name, region = Region, endpoint = TestServers.Kinesis.ToString(), startingPosition = "TRIM_HORIZON", logGroup,
            });
        }
        byte[] Payload(JsonObject record) => SubscriptionMessages.Gzip(SubscriptionMessages.DataMessage(
            [SubscriptionMessages.LogEvent(Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), record.ToJsonString())], logGroup));
        JsonObject TrailCall(string name) =>
            CloudTrailRecord(account, "cloudtrail.amazonaws.com", name, new JsonObject { ["name"] = trailArn });

        // A StartLogging first, so the source is read and the trail's status known before the clock starts.
        await stream.PutAsync([Payload(TrailCall("StartLogging"))]);
        using var compliance = Admin("compliance");
        var history = await Eventually.ObserveAsync(
            () => compliance.GetFromJsonAsync<JsonElement>($"/v1/compliance/resources/AWS::CloudTrail::Trail/{trail}/history"),
            h => h.GetProperty("items").GetArrayLength() >= 2, TimeSpan.FromSeconds(90));
        Assert.Equal(2, history.GetProperty("items").GetArrayLength());

        var stopwatch = Stopwatch.StartNew();
        await stream.PutAsync([Payload(TrailCall("StopLogging"))]);
        var verdict = await ObserveVerdictAsync(rule, "AWS::::Account", account, "NON_COMPLIANT", TimeSpan.FromSeconds(10));
        stopwatch.Stop();

        Assert.True(verdict == "NON_COMPLIANT", $"still {verdict} {stopwatch.Elapsed.TotalSeconds:F1} s after StopLogging was put into Kinesis");
    }
}
