namespace Platform.Ingestion.Tests.Service;

[Collection(IngestionServiceCollection.Name)]
public sealed class Posting_to_the_firehose_endpoint(IngestionService service)
{
    /// <summary>The records of a Firehose sample, in the HTTP endpoint delivery request Firehose sends.</summary>
    private static (string RequestId, byte[] Body) DeliveryOf(string sample, params string[] extraData)
    {
        var source = JsonNode.Parse(Samples.Read("subscription-payloads", sample))!;
        var requestId = Guid.NewGuid().ToString();
        var records = new JsonArray();
        foreach (var record in source["records"]!.AsArray())
        {
            records.Add(new JsonObject { ["data"] = record!["data"]!.GetValue<string>() });
        }
        foreach (var data in extraData)
        {
            records.Add(new JsonObject { ["data"] = data });
        }
        var request = new JsonObject { ["requestId"] = requestId, ["timestamp"] = 1_578_090_901_599L, ["records"] = records };
        return (requestId, Encoding.UTF8.GetBytes(request.ToJsonString()));
    }

    private async Task<HttpResponseMessage> PostAsync(string path, byte[] body, string? accessKey)
    {
        using var client = service.Host.CreateClient(apiKey: null);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        if (accessKey is not null)
        {
            request.Headers.Add("X-Amz-Firehose-Access-Key", accessKey);
        }
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Answers_with_the_request_id_and_stores_raw_lines_and_json()
    {
        var group = "firehose-" + Guid.NewGuid().ToString("N");
        var (requestId, body) = DeliveryOf("kinesisFirehoseKinesisEvent.json");

        using var response = await PostAsync($"/v1/ingest/firehose?logGroup={group}", body, IngestionService.FirehoseAccessKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(requestId, answer.GetProperty("requestId").GetString());
        Assert.True(answer.GetProperty("timestamp").GetInt64() > 1_600_000_000_000);
        var items = (await service.GetJsonAsync($"/v1/events?logGroup={group}")).GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(2, items.Length);
        Assert.Contains(items, e => e.GetProperty("sourceType").GetString() == "text"
                                    && e.GetProperty("document").GetProperty("message").GetString() == "Hello World");
        Assert.Contains(items, e => e.GetProperty("sourceType").GetString() == "application"
                                    && e.GetProperty("document").GetProperty("Hello").GetString() == "World");
    }

    [Fact]
    public async Task Accepts_an_api_key_with_the_ingest_role_as_access_key_and_recognises_a_retry()
    {
        var group = "firehose-" + Guid.NewGuid().ToString("N");
        var subscription = Convert.ToBase64String(Samples.FreshSubscriptionPayload(3, [], group));
        var (_, body) = DeliveryOf("kinesis-firehose-event.json", subscription);

        using var first = await PostAsync($"/v1/ingest/firehose?logGroup={group}", body, IngestionService.IngestKey);
        using var retry = await PostAsync($"/v1/ingest/firehose?logGroup={group}", body, IngestionService.IngestKey);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var items = (await service.GetJsonAsync($"/v1/events?logGroup={group}")).GetProperty("items").EnumerateArray().ToArray();
        // Two "Hello World" records at different positions, and the three events of the subscription payload.
        Assert.Equal(5, items.Length);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized, "X-Amz-Firehose-Access-Key")]
    [InlineData("wrong-key", HttpStatusCode.Unauthorized, "X-Amz-Firehose-Access-Key")]
    [InlineData(IngestionService.AnalystKey, HttpStatusCode.Forbidden, "analyst")]
    public async Task Refuses_a_missing_or_unknown_key_with_401_and_a_key_of_the_wrong_role_with_403_in_firehose_terms(
        string? accessKey, HttpStatusCode expected, string message)
    {
        var (_, body) = DeliveryOf("kinesis-firehose-event.json");

        using var response = await PostAsync("/v1/ingest/firehose", body, accessKey);

        Assert.Equal(expected, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(message, error.GetProperty("errorMessage").GetString());
        Assert.True(error.TryGetProperty("timestamp", out _));
    }

    [Fact]
    public async Task Answers_an_unreadable_request_with_a_firehose_error_and_quarantines_it()
    {
        using var response = await PostAsync("/v1/ingest/firehose", Encoding.UTF8.GetBytes("""{"requestId":"r-1","records":[{"data":"%%%"}]}"""), IngestionService.FirehoseAccessKey);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("r-1", error.GetProperty("requestId").GetString());
        Assert.Contains("base64", error.GetProperty("errorMessage").GetString());
    }
}
