using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Platform.Console.Pages;

/// <summary>
/// Sign in with an API key: provisioning says whose it is (<c>GET /v1/me</c>); an admin or analyst key opens a session,
/// an unknown key or an ingest key (which may read nothing) is refused.
/// </summary>
public sealed class LoginModel(ProvisioningApi provisioning) : ConsolePage
{
    [BindProperty]
    public string? Key { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Key))
        {
            Error = "Enter your API key.";
            return Page();
        }
        var caller = await TryAsync(ct => provisioning.WhoIsAsync(Key.Trim(), ct));
        if (Error is not null)
        {
            return Page();
        }
        if (caller is null)
        {
            Error = "That key is not known or has been revoked.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        if (caller.Role is not (PlatformRoles.Admin or PlatformRoles.Analyst))
        {
            Error = $"Key '{caller.Name}' has role '{caller.Role}', which cannot read the console: sign in with an admin or analyst key.";
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, caller.Name),
                new Claim(ClaimTypes.Role, caller.Role),
                new Claim(ConsoleClaims.ApiKey, Key.Trim()),
            ], CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/dashboards");
    }
}
