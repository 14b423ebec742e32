namespace Platform.Ingestion.Tests.Service;

[Collection(IngestionServiceCollection.Name)]
public sealed class Listing_events(IngestionService service)
{
    [Fact]
    public async Task Pages_newest_first_with_a_cursor_and_filters_by_time()
    {
        var group = "page-" + Guid.NewGuid().ToString("N");
        var lines = Enumerable.Range(0, 5).Select(i => $"2 123456789012 eni-1 10.0.0.{i} 10.0.1.1 1 2 6 1 40 {1_700_000_000 + i * 60} {1_700_000_001 + i * 60} ACCEPT OK");
        await service.IngestAsync($"/v1/ingest/vpc-flow-logs?logGroup={group}", Encoding.UTF8.GetBytes(string.Join('\n', lines)));

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await service.GetJsonAsync($"/v1/events?logGroup={group}&limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("sourceIp").GetString()!));
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
        }
        while (cursor is not null);

        Assert.Equal(["10.0.0.4", "10.0.0.3", "10.0.0.2", "10.0.0.1", "10.0.0.0"], seen);
        var from = DateTimeOffset.FromUnixTimeSeconds(1_700_000_060).ToString("O");
        var to = DateTimeOffset.FromUnixTimeSeconds(1_700_000_180).ToString("O");
        var window = await service.GetJsonAsync($"/v1/events?logGroup={group}&from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}");
        Assert.Equal(["10.0.0.2", "10.0.0.1"], window.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("sourceIp").GetString()));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2024-13-45", "to")]
    [InlineData("sourceType=syslog", "sourceType")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    public async Task Refuses_an_invalid_parameter_naming_it(string query, string parameter)
    {
        using var response = await service.Admin.GetAsync("/v1/events?" + query);

        await IngestionService.AssertProblemNamesAsync(response, parameter);
    }

    [Fact]
    public async Task Refuses_an_invalid_quarantine_cursor()
    {
        using var response = await service.Admin.GetAsync("/v1/quarantine?cursor=zzz");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("logGroup")]
    [InlineData("eventName")]
    [InlineData("principal")]
    [InlineData("sourceIp")]
    [InlineData("errorCode")]
    public async Task A_text_filter_holding_a_nul_is_a_400_naming_it(string filter)
    {
        using var response = await service.Admin.GetAsync($"/v1/events?{filter}=a%00b");

        await IngestionService.AssertProblemNamesAsync(response, filter);
    }
}
