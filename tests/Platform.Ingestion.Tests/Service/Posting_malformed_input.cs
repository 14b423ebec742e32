namespace Platform.Ingestion.Tests.Service;

[Collection(IngestionServiceCollection.Name)]
public sealed class Posting_malformed_input(IngestionService service)
{
    public static TheoryData<string, byte[], string> UnreadableBodies()
    {
        var valid = Samples.Read("subscription-payloads", "cloudwatch_log_cloudtrail.json");
        var gzip = SubscriptionMessages.Gzip(valid);
        using var zlibBuffer = new MemoryStream();
        using (var zlib = new ZLibStream(zlibBuffer, CompressionLevel.Fastest))
        {
            zlib.Write(valid);
        }
        var zlibBytes = zlibBuffer.ToArray();
        var bomb = SubscriptionMessages.Gzip(new byte[IngestionService.MaxDecodedBytes + 1]);
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        garbage[0] = 0x00;
        return new TheoryData<string, byte[], string>
        {
            { "truncated gzip", gzip[..(gzip.Length / 2)], "truncated" },
            { "gzip missing its trailer", gzip[..^4], "truncated" },
            { "truncated zlib", zlibBytes[..^3], "truncated" },
            { "gzip magic over garbage", [0x1f, 0x8b, .. garbage], "gzip" },
            { "non-UTF-8", [(byte)'{', 0xff, 0xfe, (byte)'}'], "UTF-8" },
            { "gzip of non-UTF-8", SubscriptionMessages.Gzip([(byte)'{', 0xc3, 0x28, (byte)'}']), "UTF-8" },
            { "decompression bomb", bomb, "decompresses to more than" },
            { "deeply nested JSON", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000)), "JSON" },
            { "binary garbage", garbage, "UTF-8" },
            { "JSON that is not a subscription message", Encoding.UTF8.GetBytes("""{"hello":"world"}"""), "messageType" },
            { "truncated JSON", valid[..(valid.Length / 2)], "JSON" },
        };
    }

    [Theory]
    [MemberData(nameof(UnreadableBodies))]
    public async Task Refuses_an_unreadable_body_naming_the_reason_and_quarantines_it(string what, byte[] body, string reason)
    {
        using var response = await service.PostAsync("/v1/ingest/cloudwatch-logs", body);

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, what);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var detail = problem.GetProperty("errors").GetProperty("body")[0].GetString()!;
        Assert.Contains(reason, detail);
        var quarantined = (await service.GetJsonAsync("/v1/quarantine?limit=1000")).GetProperty("items").EnumerateArray()
            .First(q => q.GetProperty("reasons")[0].GetString()!.Contains(reason) && q.GetProperty("originalSize").GetInt32() == body.Length);
        var item = await service.GetJsonAsync($"/v1/quarantine/{quarantined.GetProperty("id").GetInt64()}");
        var raw = item.GetProperty("raw").GetBytesFromBase64();
        Assert.Equal(body[..Math.Min(body.Length, 256 * 1024)], raw);
        Assert.Equal("http:cloudwatch-logs", item.GetProperty("source").GetString());

        // The service keeps working.
        List<string> ids = [];
        Assert.Equal(1, (await service.IngestAsync("/v1/ingest/cloudwatch-logs", Samples.FreshSubscriptionPayload(1, ids))).Accepted);
    }

    [Fact]
    public async Task Refuses_an_empty_body()
    {
        using var response = await service.PostAsync("/v1/ingest/cloudtrail", []);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("empty", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Refuses_an_oversized_body_with_413()
    {
        using var response = await service.PostAsync("/v1/ingest/cloudtrail", new byte[IngestionService.MaxRequestBytes + 1]);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Quarantines_records_that_are_not_cloudtrail_and_stores_the_rest()
    {
        var id = Guid.NewGuid().ToString();
        var file = $$"""{"Records":[{"eventVersion":"1.08","eventSource":"iam.amazonaws.com","eventName":"CreateUser","eventID":"{{id}}","eventTime":"2024-01-01T00:00:00Z","errorCode":"AccessDenied"},{"not":"cloudtrail"},42]}""";

        var counts = await service.IngestAsync("/v1/ingest/cloudtrail", Encoding.UTF8.GetBytes(file));

        Assert.Equal(new IngestCounts(1, 0, 2, 0), counts);
        Assert.Equal("AccessDenied", (await service.GetJsonAsync($"/v1/events/{id}")).GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Quarantines_a_record_with_a_nul_character_instead_of_failing_the_batch()
    {
        var group = "nul-" + Guid.NewGuid().ToString("N");
        var message = $$"""{"messageType":"DATA_MESSAGE","owner":"1","logGroup":"{{group}}","logStream":"s","subscriptionFilters":[],"logEvents":[{"id":"{{group}}-1","timestamp":1,"message":"bad \u0000 byte"},{"id":"{{group}}-2","timestamp":1,"message":"fine"}]}""";

        var counts = await service.IngestAsync("/v1/ingest/cloudwatch-logs", Encoding.UTF8.GetBytes(message));

        Assert.Equal(new IngestCounts(1, 0, 1, 0), counts);
    }
}
