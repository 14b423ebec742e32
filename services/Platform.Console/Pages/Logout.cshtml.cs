using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Platform.Console.Pages;

/// <summary>Ends the session: the cookie (and the key in it) is gone.</summary>
public sealed class LogoutModel : ConsolePage
{
    public IActionResult OnGet() => Redirect("/dashboards");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/login");
    }
}
