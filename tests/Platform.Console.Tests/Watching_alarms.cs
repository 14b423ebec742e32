namespace Platform.Console.Tests;

/// <summary>Alarms with their state, and an alarm's page with its definition and history.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class Watching_alarms(ConsolePlatform platform)
{
    [Fact]
    public async Task A_provisioned_alarm_is_listed_with_its_state_and_its_page_shows_its_history()
    {
        var name = $"ConsoleAlarm{Guid.NewGuid():N}"[..24];
        await platform.PutAsync("alarms", name, $$"""
            {"AlarmName": "{{name}}", "MetricName": "FailedLoginCount", "Namespace": "Security/Authentication", "Statistic": "Sum",
             "Period": 60, "EvaluationPeriods": 1, "Threshold": 10, "ComparisonOperator": "GreaterThanThreshold"}
            """);
        using var alerting = platform.Client(PlatformResources.Alerting);
        await Eventually.ObserveAsync(async () => (await alerting.GetAsync($"/v1/alarms/{name}")).StatusCode, s => s == HttpStatusCode.OK);
        var page = await platform.SignedInPageAsync();

        await page.GotoAsync(new Uri(platform.Console, "/alarms").ToString());
        var row = page.GetByRole(AriaRole.Table, new() { Name = "Alarms" }).Locator("tr", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = name }) });
        await Assertions.Expect(row).ToContainTextAsync("INSUFFICIENT_DATA");

        await row.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".history")).ToContainTextAsync("ConfigurationUpdate");
        await page.GetByText("Definition").ClickAsync();
        await Assertions.Expect(page.Locator("pre.record")).ToContainTextAsync("GreaterThanThreshold");
        await page.Context.CloseAsync();
    }
}
