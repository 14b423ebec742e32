namespace Platform.Compliance.Tests;

/// <summary>Bodies that are not items get 400 naming the field and why; bad items of a batch are quarantined while the good ones are kept; limits hold.</summary>
[Collection(IntakeCollection.Name)]
public sealed class Refusing_what_is_not_a_configuration_item(IntakeHost host)
{
    [Fact]
    public async Task A_body_that_is_not_json_is_400_and_quarantined_with_its_bytes()
    {
        var marker = TestNames.Unique("not-json");
        using var response = await host.PostItemsAsync($"{{\"resourceType\": \"{marker}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var entry = await FindQuarantinedAsync(marker);
        Assert.Equal("http:configuration-items", entry.GetProperty("source").GetString());
        Assert.Contains("is not valid JSON", entry.GetProperty("reasons")[0].GetString());
    }

    [Fact]
    public async Task A_batch_keeps_its_good_items_and_quarantines_the_others_with_field_and_reason()
    {
        var good = TestNames.Unique("good");
        var bad = ConfigurationSamples.ApiBucket(TestNames.Unique("bad"), DateTimeOffset.UtcNow);
        bad.Remove("configurationItemCaptureTime");
        var wrongStatus = ConfigurationSamples.ApiBucket(TestNames.Unique("bad"), DateTimeOffset.UtcNow);
        wrongStatus["configurationItemStatus"] = "Fine";
        var batch = new JsonObject { ["configurationItems"] = new JsonArray(ConfigurationSamples.ApiBucket(good, DateTimeOffset.UtcNow), bad, wrongStatus, 42) };

        using var response = await host.PostItemsAsync(batch.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("recorded").GetInt32());
        var quarantined = body.GetProperty("quarantined").EnumerateArray().Select(q => (q.GetProperty("field").GetString(), q.GetProperty("reason").GetString())).ToList();
        Assert.Equal(
            [
                ("configurationItems[1].configurationItemCaptureTime", "is missing"),
                ("configurationItems[2].configurationItemStatus", "'Fine' is not a status: use OK, ResourceDiscovered, ResourceNotRecorded, ResourceDeleted, ResourceDeletedNotRecorded"),
                ("configurationItems[3]", "is a number, not a configuration item or a notification"),
            ],
            quarantined);
        Assert.NotNull(await host.CurrentAsync("AWS::S3::Bucket", good));
        var entry = await FindQuarantinedAsync((string)bad["resourceId"]!);
        Assert.Equal("configurationItems[1].configurationItemCaptureTime: is missing", entry.GetProperty("reasons")[0].GetString());
    }

    [Fact]
    public async Task A_body_of_only_bad_items_is_400_naming_each_field()
    {
        using var response = await host.PostItemsAsync("""[{"resourceType": "AWS::S3::Bucket"}]""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("is missing (quarantined)", errors.GetProperty("[0].resourceId")[0].GetString());
    }

    [Fact]
    public async Task A_body_nesting_past_the_depth_limit_is_400()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 70)) + "1" + new string('}', 70);
        using var response = await host.PostItemsAsync(deep);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("nests deeper than 64 levels", errors.GetProperty("body")[0].GetString());
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_413()
    {
        using var response = await host.PostItemsAsync("[" + new string(' ', IntakeHost.MaxRequestBytes) + "]");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_item_limit_is_refused_whole()
    {
        var prefix = TestNames.Unique("many");
        var items = new JsonArray([.. Enumerable.Range(0, IntakeHost.MaxItems + 1).Select(i => (JsonNode)ConfigurationSamples.ApiBucket($"{prefix}-{i}", DateTimeOffset.UtcNow))]);
        using var response = await host.PostItemsAsync(items.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains($"holds more than {IntakeHost.MaxItems} configuration items", errors.GetProperty("body")[0].GetString());
        Assert.Null(await host.CurrentAsync("AWS::S3::Bucket", $"{prefix}-0"));
    }

    [Fact]
    public async Task Only_the_ingest_and_admin_roles_post_and_only_admin_and_analyst_read()
    {
        using var analyst = host.ClientFor(PlatformRoles.Analyst);
        using var posted = await analyst.PostAsync("/v1/configuration-items", new StringContent("[]", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);
        using var ingest = host.ClientFor(PlatformRoles.Ingest);
        using var read = await ingest.GetAsync("/v1/configuration/resources/AWS::S3::Bucket/x");
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        using var anonymous = host.Host.CreateClient(apiKey: null);
        using var unauthenticated = await anonymous.GetAsync("/v1/quarantine");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
    }

    /// <summary>The quarantine entry whose raw bytes hold <paramref name="marker"/>.</summary>
    private async Task<JsonElement> FindQuarantinedAsync(string marker)
    {
        using var client = host.ClientFor(PlatformRoles.Analyst);
        var page = await client.GetFromJsonAsync<JsonElement>("/v1/quarantine?limit=1000");
        foreach (var listed in page.GetProperty("items").EnumerateArray())
        {
            var entry = await client.GetFromJsonAsync<JsonElement>($"/v1/quarantine/{listed.GetProperty("id").GetInt64()}");
            if (System.Text.Encoding.UTF8.GetString(entry.GetProperty("raw").GetBytesFromBase64()).Contains(marker, StringComparison.Ordinal))
            {
                return entry;
            }
        }
        throw new Xunit.Sdk.XunitException($"No quarantine entry holds {marker}.");
    }
}
