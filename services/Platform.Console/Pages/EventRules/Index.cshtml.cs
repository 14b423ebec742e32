using System.Net;

namespace Platform.Console.Pages.EventRules;

/// <summary>Event rules (as provisioned) and the deliveries of their targets; a failed or dead delivery can be sent again.</summary>
public sealed class IndexModel(ProvisioningApi provisioning, AlertingApi alerting) : ConsolePage
{
    public static readonly IReadOnlyList<string> Retryable = ["failed", "dead"];

    [FromQuery]
    public string? Status { get; set; }

    public IReadOnlyList<Resource<JsonElement>> Rules { get; private set; } = [];

    public IReadOnlyList<Delivery> Deliveries { get; private set; } = [];

    public string? Done { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostRetryAsync(Guid id)
    {
        try
        {
            var delivery = await alerting.RetryAsync(id, HttpContext.RequestAborted);
            Done = $"Delivery {id} is {delivery.Status} again.";
        }
        catch (PlatformApiException ex)
        {
            Error = ex.Status == HttpStatusCode.Forbidden ? $"Only an {PlatformRoles.Admin} key may retry deliveries." : ex.Message;
            Response.StatusCode = (int)ex.Status;
        }
        var error = Error;
        await LoadAsync();
        Error ??= error;
        return Page();
    }

    private async Task LoadAsync()
    {
        Rules = await TryAsync(provisioning.EventRulesAsync) ?? [];
        Deliveries = (await TryAsync(ct => alerting.DeliveriesAsync(string.IsNullOrEmpty(Status) ? null : Status, ct)))?.Items ?? [];
    }
}
