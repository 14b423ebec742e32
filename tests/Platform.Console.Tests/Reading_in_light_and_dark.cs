namespace Platform.Console.Tests;

/// <summary>The pages follow the reader's colour scheme, and work from the keyboard alone.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class Reading_in_light_and_dark(ConsolePlatform platform)
{
    [Theory]
    [InlineData(ColorScheme.Light, "rgb(255, 255, 255)", "rgb(27, 31, 36)")]
    [InlineData(ColorScheme.Dark, "rgb(13, 17, 23)", "rgb(230, 237, 243)")]
    public async Task The_page_takes_the_readers_colour_scheme(ColorScheme scheme, string background, string text)
    {
        var page = await platform.SignedInPageAsync();
        await page.EmulateMediaAsync(new() { ColorScheme = scheme });

        await page.GotoAsync(new Uri(platform.Console, "/findings").ToString());

        var colours = await page.EvaluateAsync<string[]>("() => { const s = getComputedStyle(document.body); return [s.backgroundColor, s.color]; }");
        Assert.Equal([background, text], colours);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Signing_in_and_reaching_the_content_take_only_the_keyboard()
    {
        var page = await platform.NewPageAsync();
        await page.GotoAsync(new Uri(platform.Console, "/login").ToString());

        // The key field has the focus on arrival; Enter signs in.
        await Assertions.Expect(page.GetByLabel("API key")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(ConsolePlatform.AdminKey);
        await page.Keyboard.PressAsync("Enter");
        await ConsolePlatform.ArrivedAtAsync(page, "/dashboards");

        // The first Tab reaches "Skip to content", which moves the focus past the navigation.
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("main")).ToBeFocusedAsync();
        // Then on to the first dashboard's link in the content, and Enter opens it.
        await page.Keyboard.PressAsync("Tab");
        var focused = await page.EvaluateAsync<string?>("() => document.activeElement.closest('main') ? document.activeElement.getAttribute('href') : null");
        Assert.StartsWith("/dashboards/", focused);
        await page.Keyboard.PressAsync("Enter");
        await ConsolePlatform.ArrivedAtAsync(page, focused!);
        await page.Context.CloseAsync();
    }
}
