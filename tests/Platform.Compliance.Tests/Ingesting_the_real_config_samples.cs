namespace Platform.Compliance.Tests;

/// <summary>
/// Every real sample in ../shared/data/config-items through the real service: items of 78 resource types in mixed
/// shapes and the rule invocation events ingest, or are refused with the field and reason and quarantined.
/// </summary>
[Collection(IntakeCollection.Name)]
public sealed class Ingesting_the_real_config_samples(IntakeHost host)
{
    public static TheoryData<string> Samples() => [.. Directory.GetFiles(SharedData.PathOf("data", "config-items"), "*.json").Select(f => Path.GetFileName(f))];

    /// <summary>The samples that are not valid JSON (a stray comma, a raw newline inside a string).</summary>
    private static readonly string[] Invalid = ["AWS_EC2_NetworkInterface.json", "AWS_SSM_ManagedInstanceInventory_Linux.json"];

    /// <summary>An item whose capture time is Python's repr of a datetime, not a time.</summary>
    private const string UnreadableCaptureTime = "AWS_ACM_Certificate.json";

    /// <summary>Invocation events whose invokingEvent carries no item: an oversized one without its S3 location, a scheduled one.</summary>
    private static readonly string[] WithoutItem = ["awsConfigRuleOversizedConfiguration.json", "awsConfigRuleScheduled.json"];

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Each_sample_is_recorded_or_refused_with_its_reason(string file)
    {
        var json = await File.ReadAllTextAsync(SharedData.PathOf("data", "config-items", file));
        using var response = await host.PostItemsAsync(json);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (Invalid.Contains(file))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("is not valid JSON", body.GetProperty("errors").GetProperty("body")[0].GetString());
            return;
        }
        if (file == UnreadableCaptureTime)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("is text, not an ISO 8601 time or epoch seconds (quarantined)",
                body.GetProperty("errors").GetProperty("configurationItemCaptureTime")[0].GetString());
            return;
        }
        if (WithoutItem.Contains(file))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var field = file.Contains("Oversized") ? "invokingEvent.s3DeliverySummary.s3BucketLocation" : "invokingEvent.messageType";
            Assert.Contains("(quarantined)", body.GetProperty("errors").GetProperty(field)[0].GetString());
            return;
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outcome = Assert.Single(body.GetProperty("items").EnumerateArray());
        var current = await host.CurrentAsync(outcome.GetProperty("resourceType").GetString()!, outcome.GetProperty("resourceId").GetString()!);
        Assert.NotNull(current);
    }

    [Fact]
    public async Task The_bucket_samples_policy_text_is_parsed_so_rules_address_its_fields()
    {
        var json = await File.ReadAllTextAsync(SharedData.PathOf("data", "config-items", "AWS_S3_Bucket.json"));
        using var response = await host.PostItemsAsync(json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var bucket = (await host.CurrentAsync("AWS::S3::Bucket", "mborch-test-bucket-config-item"))!.Value;
        var supplementary = bucket.GetProperty("supplementaryConfiguration");
        var statement = supplementary.GetProperty("BucketPolicy").GetProperty("policyText").GetProperty("Statement")[0];
        Assert.Equal("*", statement.GetProperty("Principal").GetString());
        Assert.Equal("FullControl", supplementary.GetProperty("AccessControlList").GetProperty("grantList")[0].GetProperty("permission").GetString());
    }
}
