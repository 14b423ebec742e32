namespace Platform.Console.Tests;

/// <summary>Compliance by config rule (the seed's rules), and a resource's timeline from a CloudTrail call ingested here.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class Reading_compliance(ConsolePlatform platform)
{
    [Fact]
    public async Task The_summary_lists_the_seeds_rules_and_a_new_buckets_timeline_shows_its_creation()
    {
        var bucket = $"console-bucket-{Guid.NewGuid():N}"[..32];
        var record = CloudTrailRecords.CreateAccessKey(Guid.NewGuid().ToString());
        record["eventSource"] = "s3.amazonaws.com";
        record["eventName"] = "CreateBucket";
        record["requestParameters"] = new System.Text.Json.Nodes.JsonObject { ["bucketName"] = bucket };
        await platform.IngestAsync("aws-cloudtrail-logs", [record.ToJsonString()]);
        using var compliance = platform.Client(PlatformResources.Compliance);
        var entries = await Eventually.ObserveAsync(
            async () => (await compliance.GetFromJsonAsync<JsonElement>($"/v1/compliance/resources/AWS::S3::Bucket/{bucket}/timeline")).GetArrayLength(),
            n => n > 0, TimeSpan.FromSeconds(60));
        Assert.True(entries > 0, $"no timeline for bucket {bucket}");
        var page = await platform.SignedInPageAsync();

        await page.GotoAsync(new Uri(platform.Console, "/compliance").ToString());
        var summary = page.GetByRole(AriaRole.Table, new() { Name = "Compliance by rule" });
        await Assertions.Expect(summary).ToContainTextAsync("s3-bucket-server-side-encryption-enabled");
        await Assertions.Expect(summary).ToContainTextAsync("cloudtrail-enabled");

        var resource = page.GetByRole(AriaRole.Form, new() { Name = "Resource" });
        await resource.GetByLabel("Resource type").FillAsync("AWS::S3::Bucket");
        await resource.GetByLabel("Resource id").FillAsync(bucket);
        await resource.GetByRole(AriaRole.Button, new() { Name = "Show timeline" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(bucket);
        await Assertions.Expect(page.Locator(".history")).ToContainTextAsync("ConfigurationChange");
        await Assertions.Expect(page.Locator(".history")).ToContainTextAsync("CreateBucket");
        await page.Context.CloseAsync();
    }

    [Fact]
    public Task A_timeline_without_a_resource_id_is_a_400_naming_the_field() =>
        platform.AssertPageRefusesAsync("/compliance/timeline?resourceType=AWS::S3::Bucket", "resourceId");
}
