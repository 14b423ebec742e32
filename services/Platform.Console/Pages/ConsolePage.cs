using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Platform.Console.Pages;

/// <summary>
/// What every page shares: the signed-in role, and a service's refusal shown on the page (with the service's own
/// words) rather than as an error page, so one failing call leaves the rest of the page usable.
/// </summary>
public abstract class ConsolePage : PageModel
{
    /// <summary>Why the page could not show everything, in the service's words.</summary>
    public string? Error { get; protected set; }

    public bool IsAdmin => User.FindFirstValue(ClaimTypes.Role) == PlatformRoles.Admin;

    /// <summary>A minimal API result (a 400 problem naming the field) as the page's answer.</summary>
    protected static IActionResult Answer(IResult result) => new ResultAction(result);

    /// <summary>The call's answer, or default with <see cref="Error"/> set when the service refused or failed it.</summary>
    protected async Task<T?> TryAsync<T>(Func<CancellationToken, Task<T>> call)
    {
        try
        {
            return await call(HttpContext.RequestAborted);
        }
        catch (PlatformApiException ex)
        {
            Error = ex.Message;
            return default;
        }
        catch (HttpRequestException ex)
        {
            Error = $"The service could not be reached: {ex.Message}";
            return default;
        }
    }
}

/// <summary>Runs a minimal API result as a page's action result.</summary>
internal sealed class ResultAction(IResult result) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
}
