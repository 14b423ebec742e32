using System.Globalization;

namespace Platform.Console.Tests;

/// <summary>The detection rules with their matches in the last 24 hours and disposition, and what failed to load.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class Browsing_rules(ConsolePlatform platform)
{
    [Fact]
    public async Task A_rule_that_matched_shows_its_matches_and_a_setting_naming_no_rule_shows_as_a_load_error()
    {
        var (id, _, _) = await platform.RaiseFindingAsync();
        using var detection = platform.Client(PlatformResources.Detection);
        var ruleId = (await detection.GetFromJsonAsync<JsonElement>($"/v1/findings/{id}")).GetProperty("ruleId").GetString()!;
        var missing = $"no-such-rule-{Guid.NewGuid():N}";
        await platform.PutAsync("rule-settings", missing, $$"""{"ruleId": "{{missing}}", "disposition": "signal"}""");
        await Eventually.ObserveAsync(
            async () => (await detection.GetStringAsync("/v1/rules/errors")).Contains(missing, StringComparison.Ordinal), found => found);
        var page = await platform.SignedInPageAsync();

        await page.GotoAsync(new Uri(platform.Console, "/rules").ToString());

        var row = page.GetByRole(AriaRole.Table, new() { Name = "Rules" }).Locator("tr", new() { HasText = ruleId });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        var matches = int.Parse(await row.Locator("[data-matches]").InnerTextAsync(), CultureInfo.InvariantCulture);
        Assert.True(matches >= 1, $"{ruleId} shows {matches} matches in the last 24 hours");
        await Assertions.Expect(row.Locator("[data-disposition]")).ToHaveTextAsync("alert");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Load errors" })).ToContainTextAsync(missing);

        // A rule's title opens its findings.
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await ConsolePlatform.ArrivedAtAsync(page, $"ruleId={Uri.EscapeDataString(ruleId)}");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Findings" })).ToContainTextAsync(ruleId);
        await page.Context.CloseAsync();
    }
}
