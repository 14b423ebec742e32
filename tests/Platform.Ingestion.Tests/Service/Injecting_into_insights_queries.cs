namespace Platform.Ingestion.Tests.Service;

/// <summary>
/// SQL in every position a query or its request can carry it (field names, string literals, regexes, limit, log
/// group names) is refused with a 400 or treated as data: the run matches nothing and the store is untouched.
/// </summary>
[Collection(IngestionServiceCollection.Name)]
public sealed class Injecting_into_insights_queries(IngestionService service)
{
    public static TheoryData<string> TreatedAsData => new()
    {
        "filter eventName = \"x'; DROP TABLE log_events; --\"",
        "filter eventName = 'x\\' OR \\'1\\'=\\'1'",
        "fields `a'); DROP TABLE log_events; --` as x | filter ispresent(x)",
        "fields `\"; DELETE FROM log_events; --` | filter ispresent(`\"; DELETE FROM log_events; --`)",
        "filter @message like /'; DELETE FROM log_events WHERE ''='/",
        "filter user in [\"') OR true --\", \"x\"]",
        "parse @message \"*'); DROP TABLE log_events; --*\" as a, b | filter ispresent(a)",
        "filter concat(user, \"' OR 1=1 --\") = \"x\"",
        "stats count(*) as n by `x\"\"; DROP TABLE log_events; --` | filter n > 1000000",
    };

    [Theory]
    [MemberData(nameof(TreatedAsData))]
    public async Task Sql_in_the_query_is_data_that_matches_nothing(string query)
    {
        var group = await IngestSomeAsync();

        var run = await InsightsQueryRunner.RunAsync(service.Admin, InsightsQueryRunner.Body(query, group));

        Assert.Empty(InsightsQueryRunner.Rows(run));
        await AssertStoreIntactAsync(group);
    }

    [Theory]
    [InlineData("' OR '1'='1")]
    [InlineData("x'); DROP TABLE log_events; --")]
    [InlineData("%")]
    public async Task Sql_in_a_log_group_name_is_a_log_group_that_does_not_exist(string logGroup)
    {
        var group = await IngestSomeAsync();

        var run = await InsightsQueryRunner.RunAsync(service.Admin, InsightsQueryRunner.Body("fields @message", logGroup));

        Assert.Empty(InsightsQueryRunner.Rows(run));
        Assert.Equal(0, run.GetProperty("statistics").GetProperty("recordsScanned").GetDouble());
        await AssertStoreIntactAsync(group);
    }

    [Theory]
    [InlineData("limit 1; DROP TABLE log_events")]
    [InlineData("limit 1 OFFSET 5")]
    [InlineData("limit (SELECT 1)")]
    [InlineData("fields a); DROP TABLE log_events; --")]
    [InlineData("filter a = 1; DELETE FROM log_events")]
    [InlineData("SOURCE '/x' OR 1=1 | fields a")]
    public async Task Sql_where_the_language_has_no_place_for_it_is_a_400_naming_the_query(string query)
    {
        using var response = await InsightsQueryRunner.StartAsync(service.Admin, InsightsQueryRunner.Body(query, "g"));

        await IngestionService.AssertProblemNamesAsync(response, "queryString");
    }

    [Fact]
    public async Task Sql_in_the_request_limit_is_a_400_naming_it()
    {
        using var response = await service.Admin.PostAsync("/v1/queries", new StringContent(
            """{"queryString": "fields a", "logGroupNames": ["g"], "startTime": 0, "endTime": 10, "limit": "1; DROP TABLE log_events"}""",
            Encoding.UTF8, "application/json"));

        await IngestionService.AssertProblemNamesAsync(response, "limit");
    }

    private async Task<string> IngestSomeAsync()
    {
        var group = "inject-" + Guid.NewGuid().ToString("N");
        var events = Enumerable.Range(0, 3).Select(i => SubscriptionMessages.LogEvent(
            Guid.NewGuid().ToString("N"), 1_700_000_000_000 + i, $$"""{"user": "u{{i}}", "eventName": "e{{i}}"}"""));
        await service.IngestAsync("/v1/ingest/cloudwatch-logs", SubscriptionMessages.Gzip(SubscriptionMessages.DataMessage(events, group)));
        return group;
    }

    private async Task AssertStoreIntactAsync(string group)
    {
        await using var command = service.Database.CreateCommand("SELECT count(*) FROM log_events WHERE log_group = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = group });
        Assert.Equal(3L, await command.ExecuteScalarAsync());
    }
}
