namespace Platform.Console.Tests;

/// <summary>The findings list: its filters go to detection as they are, and a filter detection refuses is shown naming the field.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class Filtering_findings(ConsolePlatform platform)
{
    [Fact]
    public async Task Filtering_by_principal_and_status_lists_only_that_finding_and_it_opens()
    {
        var (id, _, principal) = await platform.RaiseFindingAsync();
        var (_, _, other) = await platform.RaiseFindingAsync(); // another principal's, which the filter leaves out
        using var detection = platform.Client(PlatformResources.Detection);
        // Each rule the call matched raised a finding of its own.
        var expected = (await detection.GetFromJsonAsync<JsonElement>($"/v1/findings?status=open&principal={Uri.EscapeDataString(principal)}"))
            .GetProperty("items").GetArrayLength();
        var page = await platform.SignedInPageAsync();
        await page.GotoAsync(new Uri(platform.Console, "/findings").ToString());

        var filters = page.GetByRole(AriaRole.Form, new() { Name = "Filters" });
        await filters.GetByLabel("Status").SelectOptionAsync("open");
        await filters.GetByLabel("Principal").FillAsync(principal);
        await filters.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        var table = page.GetByRole(AriaRole.Table, new() { Name = "Findings" });
        await Assertions.Expect(table.Locator("tbody tr")).ToHaveCountAsync(expected);
        await Assertions.Expect(table.Locator("tbody tr", new() { HasText = principal })).ToHaveCountAsync(expected);
        await Assertions.Expect(table).Not.ToContainTextAsync(other);
        Assert.Contains($"principal={Uri.EscapeDataString(principal)}", page.Url, StringComparison.Ordinal);
        await table.Locator($"a[href='/findings/{id}']").ClickAsync();
        await ConsolePlatform.ArrivedAtAsync(page, $"/findings/{id}");
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
