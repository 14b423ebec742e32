namespace Platform.Ingestion.Tests.Service;

[Collection(IngestionServiceCollection.Name)]
public sealed class Calling_without_the_right_key(IngestionService service)
{
    [Theory]
    [InlineData("/v1/ingest/cloudwatch-logs")]
    [InlineData("/v1/ingest/cloudtrail")]
    [InlineData("/v1/ingest/vpc-flow-logs")]
    public async Task Ingesting_needs_a_key(string path)
    {
        using var response = await service.PostAsync(path, "{}"u8.ToArray(), apiKey: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Ingesting_is_forbidden_to_an_analyst()
    {
        using var response = await service.PostAsync("/v1/ingest/cloudtrail", "{}"u8.ToArray(), IngestionService.AnalystKey);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("/v1/events")]
    [InlineData("/v1/quarantine")]
    public async Task Reading_is_forbidden_to_an_ingest_key_and_needs_a_key(string path)
    {
        using var ingest = service.Host.CreateClient(IngestionService.IngestKey);
        using var anonymous = service.Host.CreateClient(apiKey: null);

        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task An_ingest_key_may_ingest_and_an_analyst_may_read()
    {
        List<string> ids = [];
        using var posted = await service.PostAsync("/v1/ingest/cloudwatch-logs", Samples.FreshSubscriptionPayload(1, ids), IngestionService.IngestKey);
        using var analyst = service.Host.CreateClient(IngestionService.AnalystKey);

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync($"/v1/events/{ids[0]}")).StatusCode);
    }
}
