namespace Platform.Console.Tests;

/// <summary>The findings list: its filters go to detection as they are, and a filter detection refuses is shown naming the field.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class Filtering_findings(ConsolePlatform platform)
{
    [Fact]
    public async Task Filtering_by_principal_and_status_lists_only_that_finding_and_it_opens()
    {
        var (id, _, principal) = await platform.RaiseFindingAsync();
        await platform.RaiseFindingAsync(); // another principal's, which the filter leaves out
        var page = await platform.SignedInPageAsync();
        await page.GotoAsync(new Uri(platform.Console, "/findings").ToString());

        var filters = page.GetByRole(AriaRole.Form, new() { Name = "Filters" });
        await filters.GetByLabel("Status").SelectOptionAsync("open");
        await filters.GetByLabel("Principal").FillAsync(principal);
        await filters.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        var rows = page.GetByRole(AriaRole.Table, new() { Name = "Findings" }).Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows).ToContainTextAsync(principal);
        Assert.Contains($"principal={Uri.EscapeDataString(principal)}", page.Url, StringComparison.Ordinal);
        await rows.GetByRole(AriaRole.Link).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith($"/findings/{id}", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-finding-status]")).ToHaveTextAsync("open");

        // A status nobody has: the list says so instead of showing other findings.
        await page.GotoAsync(new Uri(platform.Console, $"/findings?status=suppressed&principal={Uri.EscapeDataString(principal)}").ToString());
        await Assertions.Expect(page.GetByText("No findings match.")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public Task A_time_filter_detection_refuses_is_a_400_naming_the_field() =>
        platform.AssertPageRefusesAsync("/findings?from=yesterday", "from");
}
