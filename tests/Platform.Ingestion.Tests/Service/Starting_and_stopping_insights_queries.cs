using System.Net.Http.Headers;
using Platform.Database.Queries;
using Platform.Ingestion.Queries;

namespace Platform.Ingestion.Tests.Service;

/// <summary>The StartQuery / GetQueryResults / StopQuery API: validation, roles, cancellation and timeouts as a client sees them.</summary>
[Collection(IngestionServiceCollection.Name)]
public sealed class Starting_and_stopping_insights_queries(IngestionService service)
{
    [Fact]
    public async Task A_syntax_error_is_a_400_naming_the_query_with_line_and_column()
    {
        using var response = await InsightsQueryRunner.StartAsync(service.Admin, InsightsQueryRunner.Body("fields a\n| stats count(*) by", "g"));

        await IngestionService.AssertProblemNamesAsync(response, "queryString");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("line 2, column 20: expected a value", problem.GetProperty("errors").GetProperty("queryString")[0].GetString());
    }

    [Theory]
    [InlineData("""{"logGroupNames": ["g"], "startTime": 0, "endTime": 10}""", "queryString")]
    [InlineData("""{"queryString": "fields a", "startTime": 0, "endTime": 10}""", "logGroupNames")]
    [InlineData("""{"queryString": "fields a", "logGroupNames": [], "startTime": 0, "endTime": 10}""", "logGroupNames")]
    [InlineData("""{"queryString": "fields a", "logGroupNames": ["a\u0000b"], "startTime": 0, "endTime": 10}""", "logGroupNames[0]")]
    [InlineData("""{"queryString": "fields a", "logGroupName": "g", "logGroupNames": ["g"], "startTime": 0, "endTime": 10}""", "logGroupNames")]
    [InlineData("""{"queryString": "SOURCE 'g' | fields a", "logGroupNames": ["g"], "startTime": 0, "endTime": 10}""", "logGroupNames")]
    [InlineData("""{"queryString": "fields a", "logGroupIdentifiers": ["arn:aws:logs:us-east-1:1:metric:x"], "startTime": 0, "endTime": 10}""", "logGroupIdentifiers[0]")]
    [InlineData("""{"queryString": "fields a", "logGroupNames": ["g"], "endTime": 10}""", "startTime")]
    [InlineData("""{"queryString": "fields a", "logGroupNames": ["g"], "startTime": 20, "endTime": 10}""", "endTime")]
    [InlineData("""{"queryString": "fields a", "logGroupNames": ["g"], "startTime": 0, "endTime": 10, "limit": 0}""", "limit")]
    [InlineData("""{"queryString": "fields a", "logGroupNames": ["g"], "startTime": 0, "endTime": 10, "limit": 10001}""", "limit")]
    [InlineData("""{"queryString": "fields a", "logGroupNames": ["g"], "startTime": "yesterday", "endTime": 10}""", "startTime")]
    public async Task An_invalid_request_is_a_400_naming_the_field(string body, string field)
    {
        using var response = await service.Admin.PostAsync("/v1/queries", new StringContent(body, Encoding.UTF8, "application/json"));

        await IngestionService.AssertProblemNamesAsync(response, field);
    }

    [Fact]
    public async Task An_analyst_may_query_and_an_ingest_key_may_not()
    {
        var body = InsightsQueryRunner.Body("fields @message", "g");
        using var analyst = service.Host.CreateClient(IngestionService.AnalystKey);
        using var ingest = service.Host.CreateClient(IngestionService.IngestKey);

        var run = await InsightsQueryRunner.RunAsync(analyst, body);
        using var refused = await InsightsQueryRunner.StartAsync(ingest, body);

        Assert.Equal("Complete", run.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task A_log_group_arn_identifies_its_log_group()
    {
        var group = "arn-" + Guid.NewGuid().ToString("N");
        var events = new[] { SubscriptionMessages.LogEvent(Guid.NewGuid().ToString("N"), 1_700_000_000_000, "plain text line") };
        await service.IngestAsync("/v1/ingest/cloudwatch-logs", SubscriptionMessages.Gzip(SubscriptionMessages.DataMessage(events, group)));

        var run = await InsightsQueryRunner.RunAsync(service.Admin, new
        {
            queryString = "fields @message, @log, @logStream", logGroupIdentifiers = new[] { $"arn:aws:logs:us-east-1:123456789012:log-group:{group}:*" },
            startTime = 0, endTime = InsightsQueryRunner.AllTimeEnd,
        });

        var row = Assert.Single(InsightsQueryRunner.Rows(run));
        Assert.Equal(("plain text line", group), (row["@message"], row["@log"]));
    }

    [Fact]
    public async Task Stopping_a_running_query_cancels_its_statement_and_reports_cancelled()
    {
        var runs = service.Service<QueryRuns>();
        var started = runs.Start(new QueryRunRequest(InsightsQueriesApi.Kind, new SqlStatement("SELECT pg_sleep(28.913)::text", [], ["slept"]), null, 10))!;
        await Eventually.ObserveAsync(() => Task.FromResult(runs.Find(InsightsQueriesApi.Kind, started.Id)!.Status), s => s == QueryRunStatus.Running);

        using var stop = await service.Admin.DeleteAsync($"/v1/queries/{started.Id}");

        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        Assert.True(JsonDocument.Parse(await stop.Content.ReadAsStringAsync()).RootElement.GetProperty("success").GetBoolean());
        var run = await InsightsQueryRunner.WaitAsync(service.Admin, started.Id);
        Assert.Equal("Cancelled", run.GetProperty("status").GetString());
        await using var sleeping = service.Database.CreateCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(28.913)%' AND pid <> pg_backend_pid()");
        Assert.Equal(0L, await Eventually.ObserveAsync(async () => (long)(await sleeping.ExecuteScalarAsync())!, n => n == 0, TimeSpan.FromSeconds(5)));
        using var again = await service.Admin.DeleteAsync($"/v1/queries/{started.Id}");
        Assert.False(JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task A_query_past_the_statement_timeout_reports_timeout()
    {
        var runs = service.Service<QueryRuns>();
        var started = runs.Start(new QueryRunRequest(InsightsQueriesApi.Kind, new SqlStatement("SELECT pg_sleep(27.5)::text", [], ["slept"]), null, 10))!;

        var run = await InsightsQueryRunner.WaitAsync(service.Admin, started.Id);

        Assert.Equal("Timeout", run.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task An_unknown_query_id_is_404(string method)
    {
        using var response = await service.Admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/v1/queries/" + Guid.NewGuid().ToString("N")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
