using System.Globalization;

namespace Platform.Console.Tests;

/// <summary>
/// A dashboard's controls and states: each widget shows its own empty, error or data state; the range picker and
/// auto-refresh reload the widgets over the range chosen.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class Using_a_dashboard(ConsolePlatform platform)
{
    /// <summary>A metric nobody publishes (empty), a query that parses but cannot run (error), and a text (ready).</summary>
    private const string Body = """
        {"widgets": [
          {"type": "metric", "x": 0, "y": 0, "width": 8, "height": 6,
           "properties": {"title": "Nothing published", "metrics": [["Console/Test", "NeverPublished"]], "period": 300, "stat": "Sum", "region": "us-east-1"}},
          {"type": "log", "x": 8, "y": 0, "width": 8, "height": 6,
           "properties": {"title": "Cannot run", "query": "SOURCE 'console-nowhere' | stats count(*) as n | stats count(*) as m", "region": "us-east-1"}},
          {"type": "text", "x": 16, "y": 0, "width": 8, "height": 6, "properties": {"markdown": "# Notes\n\nRead the runbook first."}}
        ]}
        """;

    [Fact]
    public async Task Each_widget_shows_its_own_empty_error_or_data_state()
    {
        var name = await PutDashboardAsync();
        var page = await platform.SignedInPageAsync();

        await page.GotoAsync(new Uri(platform.Console, $"/dashboards/{name}").ToString());

        await Assertions.Expect(page.Locator("#widget-0")).ToHaveAttributeAsync("data-state", "empty", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#widget-0")).ToContainTextAsync("No data in this time range.");
        await Assertions.Expect(page.Locator("#widget-1")).ToHaveAttributeAsync("data-state", "error", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#widget-1").GetByRole(AriaRole.Alert)).ToContainTextAsync("stats");
        await Assertions.Expect(page.Locator("#widget-2")).ToHaveAttributeAsync("data-state", "ready", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#widget-2")).ToContainTextAsync("Read the runbook first.");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_range_picker_and_auto_refresh_reload_every_widget_over_the_chosen_range()
    {
        var name = await PutDashboardAsync();
        var page = await platform.SignedInPageAsync();
        // The page's timers run only when the test says (Playwright's clock), so a refresh comes exactly when asked for.
        await page.Clock.InstallAsync();
        await page.Clock.PauseAtAsync(DateTime.UtcNow.AddSeconds(5));
        var widgetRequests = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains($"/dashboards/{name}/widgets/", StringComparison.Ordinal))
            {
                lock (widgetRequests)
                {
                    widgetRequests.Add(request.Url);
                }
            }
        };
        await page.GotoAsync(new Uri(platform.Console, $"/dashboards/{name}").ToString());

        // Custom shows its fields; a preset hides them again.
        var toolbar = page.GetByRole(AriaRole.Form, new() { Name = "Time range and refresh" });
        await toolbar.GetByLabel("Time range").SelectOptionAsync("custom");
        await Assertions.Expect(toolbar.GetByLabel("From (UTC)")).ToBeVisibleAsync();
        await toolbar.GetByLabel("Time range").SelectOptionAsync("1d");
        await Assertions.Expect(toolbar.GetByLabel("From (UTC)")).ToBeHiddenAsync();
        await toolbar.GetByLabel("Auto-refresh").SelectOptionAsync("30");
        await toolbar.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();

        await ConsolePlatform.ArrivedAtAsync(page, "range=1d", "refresh=30");
        await Assertions.Expect(page.Locator("#widget-2")).ToHaveAttributeAsync("data-state", "ready", new() { Timeout = 30_000 });
        var shown = await page.Locator("p.range").InnerTextAsync();
        var showing = System.Text.RegularExpressions.Regex.Match(shown, @"Showing (.+) UTC to (.+) UTC");
        Assert.True(showing.Success, shown);
        Assert.Equal(TimeSpan.FromDays(1), DateTime.Parse(showing.Groups[2].Value, CultureInfo.InvariantCulture) - DateTime.Parse(showing.Groups[1].Value, CultureInfo.InvariantCulture));
        int LoadedOverADay()
        {
            lock (widgetRequests)
            {
                return widgetRequests.Count(url => url.Contains("range=1d", StringComparison.Ordinal));
            }
        }
        await Assertions.Expect(page.Locator("[aria-busy=true]")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        var before = LoadedOverADay();
        Assert.Equal(3, before);

        await page.Clock.RunForAsync(31_000);

        await Assertions.Expect(page.Locator("[aria-busy=true]")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        Assert.Equal(6, LoadedOverADay());
        await page.Context.CloseAsync();
    }

    private async Task<string> PutDashboardAsync()
    {
        var name = $"ConsoleStates{Guid.NewGuid():N}"[..24];
        var body = JsonSerializer.Serialize(Body);
        await platform.PutAsync("dashboards", name, $$"""{"DashboardName": "{{name}}", "DashboardBody": {{body}}}""");
        return name;
    }
}
