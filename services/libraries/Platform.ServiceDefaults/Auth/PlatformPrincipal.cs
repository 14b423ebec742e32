using System.Security.Claims;

namespace Platform.ServiceDefaults.Auth;

/// <summary>The one shape of an authenticated caller: a name (the key's) and a role, read by the policies and limiters.</summary>
public static class PlatformPrincipal
{
    public static AuthenticationTicket Ticket(string name, string role, string authenticationType, string scheme) =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], authenticationType)), scheme);
}
