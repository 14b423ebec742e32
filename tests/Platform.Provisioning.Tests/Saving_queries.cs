using Platform.Contracts.Provisioning;

namespace Platform.Provisioning.Tests;

/// <summary>
/// Kind <c>saved-queries</c>: put_query_definition's fields plus the language, each query compiled at the door with the
/// library ingestion runs it with, so one that cannot run is refused with its position.
/// </summary>
[Collection(ProvisioningCollection.Name)]
public sealed class Saving_queries(ProvisioningService service)
{
    private Task<HttpResponseMessage> PutAsync(string name, object spec) => service.PutAsync("saved-queries", name, Json(spec));

    [Fact]
    public async Task A_logs_insights_query_is_saved_with_its_language_filled_in()
    {
        using var response = await PutAsync(Unique("failed"), new { queryString = SeedQueries.FailedAttempts, logGroupNames = new[] { SeedQueries.InsightsLogGroup } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(SavedQueryLanguages.LogsInsights, (await response.JsonAsync()).GetProperty("spec").GetProperty("language").GetString());
    }

    [Fact]
    public async Task A_sql_query_may_name_an_event_data_store_not_provisioned_yet()
    {
        using var response = await PutAsync(Unique("lake"), new { queryString = SeedQueries.SeedLake.Replace("security-events", Unique("store")), language = "sql" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("logs-insights", "fields @timestamp\n| filter (eventName = 'x'", "queryString", "line 2, column")]
    [InlineData("logs-insights", "fields @timestamp | frobnicate", "queryString", "line 1, column 21")]
    [InlineData("sql", "SELECT srcaddr FROM vpc_flow_logs JOIN other ON 1 = 1", "queryString", "at character 35")]
    [InlineData("sql", "SELECT srcaddr, COUNT(*) FROM vpc_flow_logs", "queryString", "at character")]
    [InlineData("cypher", "MATCH (n) RETURN n", "language", "logs-insights, sql")]
    public async Task A_query_that_cannot_run_is_refused_naming_the_field_and_position(string language, string query, string field, string reason)
    {
        using var response = await PutAsync(Unique("bad"), new { queryString = query, language, logGroupNames = language == "sql" ? null : new[] { "/aws/cloudtrail/logs" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = await response.ProblemFieldsAsync();
        Assert.True(fields.ContainsKey(field), string.Join("; ", fields.Select(f => $"{f.Key}: {string.Join(", ", f.Value)}")));
        Assert.Contains(reason, string.Join(" ", fields[field]));
    }

    [Theory]
    [InlineData("""{"queryString": "fields @timestamp"}""", "logGroupNames")]
    [InlineData("""{"queryString": "SOURCE '/aws/x' | fields @timestamp", "logGroupNames": ["/aws/y"]}""", "logGroupNames")]
    [InlineData("""{"queryString": "SELECT * FROM vpc_flow_logs", "language": "sql", "logGroupNames": ["/aws/y"]}""", "logGroupNames")]
    [InlineData("""{"queryString": "fields @timestamp", "logGroupNames": ["no spaces allowed"]}""", "logGroupNames[0]")]
    [InlineData("""{"logGroupNames": ["/aws/y"]}""", "queryString")]
    [InlineData("""{"queryString": "fields @timestamp", "logGroupNames": ["/aws/y"], "name": "another-name"}""", "name")]
    [InlineData("""{"query": "fields @timestamp"}""", "query")]
    public async Task A_wrong_field_is_refused_naming_it(string json, string field)
    {
        using var admin = service.Admin();

        using var response = await admin.PutAsync($"/v1/saved-queries/{Unique("wrong")}", JsonText(json));

        Assert.Contains(field, (await response.ProblemFieldsAsync()).Keys);
    }
}
