namespace Platform.Console.Pages;

/// <summary>The console opens on its dashboards.</summary>
public sealed class IndexModel : ConsolePage
{
    public IActionResult OnGet() => Redirect("/dashboards");
}
