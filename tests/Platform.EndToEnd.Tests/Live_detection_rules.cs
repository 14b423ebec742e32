namespace Platform.EndToEnd.Tests;

/// <summary>
/// A rule provisioned through the provisioning API reaches detection over the real broker, and the next
/// event ingested over HTTP raises a finding: provisioning → detection, ingestion → detection.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class Live_detection_rules(PlatformServices platform)
{
    [Fact]
    public async Task A_rule_provisioned_then_a_matching_event_ingested_raises_a_finding()
    {
        var bucket = TestNames.Unique("e2e-bucket");
        var ruleId = Guid.NewGuid().ToString();
        var eventId = Guid.NewGuid().ToString();
        var yaml = $"""
            title: End-to-end canary bucket policy change
            id: {ruleId}
            status: experimental
            logsource:
              product: aws
              service: cloudtrail
            detection:
              selection:
                eventSource: s3.amazonaws.com
                eventName: PutBucketPolicy
                requestParameters.bucketName: {bucket}
              condition: selection
            level: high
            """;
        using var admin = platform.Provisioning.Host.CreateClient(ServiceHost<ProvisioningDbContext>.AdminKey);
        var put = await admin.PutAsync("/v1/detection-rules/e2e-canary", new StringContent(yaml, Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        using var detection = platform.Service("detection").Host.CreateClient(ServiceHost<ProvisioningDbContext>.AdminKey);
        var loaded = await Eventually.ObserveAsync(
            async () => (await detection.GetStringAsync("/v1/rules")).Contains(ruleId, StringComparison.Ordinal),
            found => found, TimeSpan.FromSeconds(15));
        Assert.True(loaded, "detection never loaded the provisioned rule");

        var record = new
        {
            eventVersion = "1.08",
            userIdentity = new { type = "IAMUser", arn = "arn:aws:iam::123456789012:user/mallory", accountId = "123456789012" },
            eventTime = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            eventSource = "s3.amazonaws.com",
            eventName = "PutBucketPolicy",
            awsRegion = "eu-west-1",
            sourceIPAddress = "198.51.100.7",
            requestParameters = new { bucketName = bucket },
            eventID = eventId,
            recipientAccountId = "123456789012",
        };
        using var ingestion = platform.Service("ingestion").Host.CreateClient(ServiceHost<ProvisioningDbContext>.AdminKey);
        // A CloudTrail log file as delivered to S3: {"Records": [...]} (the capital R is the format's).
        var file = JsonSerializer.Serialize(new Dictionary<string, object> { ["Records"] = new[] { record } });
        var ingest = await ingestion.PostAsync("/v1/ingest/cloudtrail", new StringContent(file, Encoding.UTF8, "application/json"));
        Assert.True(ingest.StatusCode == HttpStatusCode.Accepted, await ingest.Content.ReadAsStringAsync());

        var findings = await Eventually.ObserveAsync(
            async () => await detection.GetFromJsonAsync<JsonElement>($"/v1/findings?ruleId={ruleId}"),
            page => page.GetProperty("items").GetArrayLength() > 0, TimeSpan.FromSeconds(15));
        var finding = Assert.Single(findings.GetProperty("items").EnumerateArray());
        Assert.Equal("End-to-end canary bucket policy change", finding.GetProperty("title").GetString());
        Assert.Equal("arn:aws:iam::123456789012:user/mallory", finding.GetProperty("principal").GetString());
        var detail = await detection.GetFromJsonAsync<JsonElement>($"/v1/findings/{finding.GetProperty("id").GetString()}");
        Assert.Contains(detail.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("eventId").GetString() == eventId);
    }
}
