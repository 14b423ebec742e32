namespace Platform.Console.Tests;

/// <summary>The console's door: a key in a password field, its role from provisioning, the key kept out of the page.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class Signing_in(ConsolePlatform platform)
{
    [Fact]
    public async Task An_admin_key_signs_in_and_the_seeds_dashboard_is_listed()
    {
        var page = await platform.SignedInPageAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "SecurityOverview" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-role]")).ToHaveTextAsync("admin");
        // The key is in no cookie or storage the page can read: only in the HttpOnly, encrypted session cookie.
        var cookies = await page.Context.CookiesAsync();
        var session = Assert.Single(cookies, c => c.Name == "platform-console");
        Assert.True(session.HttpOnly);
        Assert.DoesNotContain(ConsolePlatform.AdminKey, session.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(ConsolePlatform.AdminKey, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal("", await page.EvaluateAsync<string>("() => document.cookie + JSON.stringify(localStorage) .replace('{}', '') + JSON.stringify(sessionStorage).replace('{}', '')"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_key_is_refused_and_the_pages_stay_closed()
    {
        var page = await platform.NewPageAsync();
        await page.GotoAsync(new Uri(platform.Console, "/login").ToString());
        await page.GetByLabel("API key").FillAsync("plk_not-a-key-anyone-issued");

        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(), r => r.Url.Contains("/login", StringComparison.Ordinal) && r.Request.Method == "POST");

        Assert.Equal(401, response.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not known");
        await page.GotoAsync(new Uri(platform.Console, "/findings").ToString());
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_ingest_key_is_refused_for_its_role()
    {
        using var admin = platform.Client(PlatformResources.Provisioning);
        using var issued = await admin.PostAsJsonAsync("/v1/api-keys", new { name = $"ingest-{Guid.NewGuid():N}"[..20], role = "ingest" });
        issued.EnsureSuccessStatusCode();
        var key = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        var page = await platform.NewPageAsync();
        await page.GotoAsync(new Uri(platform.Console, "/login").ToString());
        await page.GetByLabel("API key").FillAsync(key);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("role 'ingest'");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
