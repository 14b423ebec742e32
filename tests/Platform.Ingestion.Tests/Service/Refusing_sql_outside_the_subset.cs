namespace Platform.Ingestion.Tests.Service;

/// <summary>
/// <c>/v1/sql-queries</c> at the door: what is outside the subset answers 400 naming the construct and its position,
/// hostile text in every position is refused or treated as data, and only analysts and admins query.
/// </summary>
[Collection(SqlQueryServiceCollection.Name)]
public sealed class Refusing_sql_outside_the_subset(IngestionService service)
{
    [Theory]
    [InlineData("SELECT a.srcaddr FROM vpc_flow_logs a JOIN vpc_flow_logs b ON a.srcaddr = b.dstaddr", "at character 39: JOIN is not supported")]
    [InlineData("SELECT srcaddr FROM vpc_flow_logs UNION SELECT dstaddr FROM vpc_flow_logs", "at character 35: UNION is not supported")]
    [InlineData("SELECT srcaddr FROM (SELECT srcaddr FROM vpc_flow_logs)", "at character 21: subqueries are not supported")]
    [InlineData("DROP TABLE log_events", "at character 1: DROP statements are not supported: only SELECT")]
    [InlineData("SELECT pg_sleep(10) FROM vpc_flow_logs", "at character 8: function 'pg_sleep' is not supported (supported: COUNT, SUM, AVG, MIN, MAX, element_at)")]
    [InlineData("SELECT srcaddr FROM log_events", "at character 21: no event data store or table is named 'log_events' (the tables are the event data stores and vpc_flow_logs)")]
    [InlineData("SELECT srcaddr FROM vpc_flow_logs WHERE srcaddr = 'x' ;; SELECT 1", "at character 56: expected the end of the statement but found ';'")]
    public async Task A_construct_outside_the_subset_answers_400_naming_it_and_its_position(string statement, string reason) =>
        Assert.Equal(reason, await RefusalAsync(statement));

    /// <summary>Why <paramref name="statement"/> was refused: the 400's reason for queryStatement.</summary>
    private async Task<string?> RefusalAsync(string statement)
    {
        using var response = await SqlQueryClient.StartAsync(service, statement);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        return errors.GetProperty("queryStatement")[0].GetString();
    }

    [Theory]
    [InlineData("SELECT count(*) FROM vpc_flow_logs WHERE srcaddr = 'x''; DROP TABLE log_events; --'")]
    [InlineData("SELECT count(*) FROM vpc_flow_logs WHERE srcaddr LIKE '%'' OR ''1''=''1'")]
    [InlineData("SELECT count(*) FROM vpc_flow_logs WHERE action IN ('REJECT''); DELETE FROM log_events; --')")]
    [InlineData("SELECT count(*) FROM vpc_flow_logs WHERE dt BETWEEN '2025/01/01'' OR true --' AND 'z'")]
    [InlineData("SELECT count(*) AS \"n\"\"); DROP TABLE log_events; --\" FROM vpc_flow_logs WHERE srcaddr LIKE '\\%' ESCAPE '\\'")]
    public async Task A_hostile_literal_or_alias_is_data_it_matches_nothing_and_drops_nothing(string statement)
    {
        var rows = await SqlQueryClient.RowsAsync(service, statement);

        Assert.Equal("0", rows.Single().Single());
        await using var command = service.Database.CreateCommand("SELECT to_regclass('log_events') IS NOT NULL");
        Assert.True((bool)(await command.ExecuteScalarAsync())!);
    }

    [Theory]
    [InlineData("SELECT \"srcaddr; DROP TABLE log_events\" FROM vpc_flow_logs", "no column 'srcaddr; DROP TABLE log_events'")]
    [InlineData("SELECT srcaddr FROM \"vpc_flow_logs; DROP TABLE log_events\"", "no event data store or table is named")]
    [InlineData("SELECT srcaddr FROM vpc_flow_logs LIMIT 1; DROP TABLE log_events", "expected the end of the statement")]
    [InlineData("SELECT srcaddr FROM vpc_flow_logs LIMIT 1 OR 1=1", "expected the end of the statement")]
    [InlineData("SELECT srcaddr FROM vpc_flow_logs LIMIT '1; DROP TABLE log_events'", "LIMIT takes a whole number of rows")]
    [InlineData("SELECT srcaddr FROM security-events;DROP TABLE log_events", "expected the end of the statement")]
    [InlineData("SELECT srcaddr FROM vpc_flow_logs WHERE srcaddr LIKE 'a' ESCAPE 'ab'", "ESCAPE takes a string of one character")]
    public async Task A_hostile_identifier_store_name_or_limit_is_refused(string statement, string reason) =>
        Assert.Contains(reason, await RefusalAsync(statement), StringComparison.Ordinal);

    [Fact]
    public async Task A_missing_statement_is_refused_naming_the_field()
    {
        using var client = service.Host.CreateClient(IngestionService.AnalystKey);
        using var response = await client.PostAsJsonAsync("/v1/sql-queries", new { queryString = "SELECT 1" });

        await IngestionService.AssertProblemNamesAsync(response, "queryStatement");
    }

    [Fact]
    public async Task Only_analysts_and_admins_query()
    {
        using var ingest = await SqlQueryClient.StartAsync(service, "SELECT count(*) FROM vpc_flow_logs", IngestionService.IngestKey);
        using var anonymous = service.Host.CreateClient(apiKey: null);
        using var none = await anonymous.PostAsJsonAsync("/v1/sql-queries", new { queryStatement = "SELECT count(*) FROM vpc_flow_logs" });
        using var admin = await SqlQueryClient.StartAsync(service, "SELECT count(*) FROM vpc_flow_logs", ServiceHost<RawLogStore>.AdminKey);

        Assert.Equal(HttpStatusCode.Forbidden, ingest.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task An_unknown_query_is_404_and_cancelling_an_ended_one_is_409()
    {
        using var client = service.Host.CreateClient(IngestionService.AnalystKey);
        using var started = await SqlQueryClient.StartAsync(service, "SELECT count(*) FROM vpc_flow_logs");
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("queryId").GetString()!;
        await Eventually.ObserveAsync(async () => (await client.GetFromJsonAsync<JsonElement>($"/v1/sql-queries/{id}")).GetProperty("QueryStatus").GetString(),
            status => status == "FINISHED");

        using var unknown = await client.GetAsync("/v1/sql-queries/0123456789abcdef0123456789abcdef");
        using var ended = await client.DeleteAsync($"/v1/sql-queries/{id}");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, ended.StatusCode);
    }
}
