namespace Platform.Console.Tests;

/// <summary>The query page: Logs Insights with results as a table and, for <c>stats ... by bin()</c>, a chart; SQL too.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class Running_a_query(ConsolePlatform platform)
{
    [Fact]
    public async Task A_logs_insights_stats_by_bin_shows_its_rows_and_a_chart()
    {
        var group = $"/console/query/{Guid.NewGuid():N}";
        await platform.IngestAsync(group, Enumerable.Range(0, 5).Select(i => $$"""{"eventType":"LOGIN","status":"FAILED","n":{{i}}}"""));
        var page = await platform.SignedInPageAsync();
        await page.GotoAsync(new Uri(platform.Console, "/query").ToString());

        await page.GetByLabel("Query", new() { Exact = true }).FillAsync($"SOURCE '{group}' | stats count(*) as logins by bin(5m)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run" }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-result-count]")).ToHaveAttributeAsync("data-result-count", "1", new() { Timeout = 45_000 });
        await Assertions.Expect(page.Locator("table.results thead")).ToContainTextAsync("logins");
        await Assertions.Expect(page.Locator("table.results tbody td").Last).ToHaveTextAsync("5");
        var values = await page.Locator("figure.chart circle.point").EvaluateAllAsync<double[]>("points => points.map(p => Number(p.dataset.value))");
        Assert.Equal([5.0], values);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_query_that_does_not_parse_shows_where_and_why()
    {
        var page = await platform.SignedInPageAsync();
        await page.GotoAsync(new Uri(platform.Console, "/query").ToString());

        await page.GetByLabel("Query", new() { Exact = true }).FillAsync("SOURCE 'x' | filter (((");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("queryString");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_sql_statement_shows_its_rows_as_a_table()
    {
        var page = await platform.SignedInPageAsync();
        await page.GotoAsync(new Uri(platform.Console, "/query").ToString());

        await page.GetByLabel("SQL (CloudTrail Lake, Athena)").CheckAsync();
        await Assertions.Expect(page.GetByLabel("Log groups (comma-separated; or SOURCE in the query)")).ToBeHiddenAsync();
        await page.GetByLabel("Query", new() { Exact = true }).FillAsync("SELECT count(*) AS flows FROM vpc_flow_logs");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run" }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-result-count]")).ToHaveAttributeAsync("data-result-count", "1", new() { Timeout = 45_000 });
        await Assertions.Expect(page.Locator("table.results thead")).ToContainTextAsync("flows");
        await Assertions.Expect(page.GetByLabel("SQL (CloudTrail Lake, Athena)")).ToBeCheckedAsync();
        await page.Context.CloseAsync();
    }
}
