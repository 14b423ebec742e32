namespace Platform.Console.Tests;

/// <summary>
/// A finding raised from a CloudTrail record ingested here, triaged on its page: the evidence opens the stored record,
/// acknowledging sends the version shown as If-Match, and a page left open while someone else triaged is told so.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class Triaging_a_finding(ConsolePlatform platform)
{
    [Fact]
    public async Task A_finding_is_acknowledged_from_its_page_and_its_evidence_opens_the_stored_record()
    {
        var (id, eventId, _) = await platform.RaiseFindingAsync();
        var page = await platform.SignedInPageAsync();
        await page.GotoAsync(new Uri(platform.Console, $"/findings/{id}").ToString());
        await Assertions.Expect(page.Locator("[data-finding-status]")).ToHaveTextAsync("open");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = eventId })).ToBeVisibleAsync();
        await ConsolePlatform.ScreenshotAsync(page, "finding");

        var acknowledge = page.GetByRole(AriaRole.Form, new() { Name = "acknowledge" });
        await acknowledge.GetByLabel("Reason").FillAsync("looking into it");
        await acknowledge.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("acknowledged");
        await Assertions.Expect(page.Locator("[data-finding-status]")).ToHaveTextAsync("acknowledged");
        await Assertions.Expect(page.Locator(".history")).ToContainTextAsync("acknowledged");
        using var detection = platform.Client(PlatformResources.Detection);
        var finding = await detection.GetFromJsonAsync<JsonElement>($"/v1/findings/{id}");
        Assert.Equal("acknowledged", finding.GetProperty("status").GetString());
        Assert.Equal("looking into it", finding.GetProperty("statusReason").GetString());
        await ConsolePlatform.ScreenshotAsync(page, "finding-acknowledged");

        await page.GetByRole(AriaRole.Link, new() { Name = eventId }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Stored record")).ToContainTextAsync(eventId);
        await Assertions.Expect(page.GetByLabel("Stored record")).ToContainTextAsync("CreateAccessKey");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Triage_from_a_stale_page_is_refused_and_shows_the_finding_as_it_is()
    {
        var (id, _, _) = await platform.RaiseFindingAsync();
        var page = await platform.SignedInPageAsync();
        await page.GotoAsync(new Uri(platform.Console, $"/findings/{id}").ToString());
        // Someone else resolves it meanwhile.
        using var detection = platform.Client(PlatformResources.Detection);
        using var current = await detection.GetAsync($"/v1/findings/{id}");
        using var resolve = new HttpRequestMessage(HttpMethod.Post, $"/v1/findings/{id}/resolve");
        resolve.Headers.IfMatch.Add(current.Headers.ETag!);
        (await detection.SendAsync(resolve)).EnsureSuccessStatusCode();

        var suppress = page.GetByRole(AriaRole.Form, new() { Name = "suppress" });
        await suppress.GetByLabel("Reason").FillAsync("noise");
        await suppress.GetByRole(AriaRole.Button, new() { Name = "Suppress" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("changed since this page showed it");
        await Assertions.Expect(page.Locator("[data-finding-status]")).ToHaveTextAsync("resolved");
        await page.Context.CloseAsync();
    }
}
