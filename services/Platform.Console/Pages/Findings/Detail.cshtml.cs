using System.Net;

namespace Platform.Console.Pages.Findings;

/// <summary>
/// A finding: its fields, evidence (each opening the stored record), MITRE techniques and history, and triage. Triage
/// sends the version the page showed as <c>If-Match</c>: when someone changed the finding meanwhile, detection answers
/// 412 and the page says so, showing the finding as it now is.
/// </summary>
public sealed class DetailModel(DetectionApi detection, TimeProvider time) : ConsolePage
{
    public static readonly IReadOnlyList<string> Actions = ["acknowledge", "resolve", "suppress"];

    [FromRoute]
    public Guid Id { get; set; }

    public Finding? Finding { get; private set; }

    public IReadOnlyList<FindingChange> History { get; private set; } = [];

    /// <summary>What the last triage did.</summary>
    public string? Done { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync(string triage, long version, string? reason, string? until)
    {
        var errors = new ValidationErrors();
        if (!Actions.Contains(triage))
        {
            errors.Add("triage", $"must be one of {string.Join(", ", Actions)}");
        }
        DateTimeOffset? untilTime = null;
        if (!string.IsNullOrWhiteSpace(until))
        {
            if (triage != "suppress")
            {
                errors.Add("until", "is for suppress only");
            }
            else if (!DateTimeOffset.TryParse(until, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                errors.Add("until", "must be a UTC time such as 2030-01-01T00:00");
            }
            else
            {
                untilTime = parsed;
            }
        }
        if (errors.HasErrors)
        {
            Error = errors.ToString();
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else
        {
            try
            {
                var triaged = await detection.TriageAsync(Id, triage, version, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), untilTime, HttpContext.RequestAborted);
                Done = $"Finding {triage switch { "acknowledge" => "acknowledged", "resolve" => "resolved", _ => "suppressed" }} (version {triaged.Version}).";
            }
            catch (PlatformApiException ex)
            {
                Error = ex.Status == HttpStatusCode.PreconditionFailed
                    ? "The finding changed since this page showed it: here it is as it is now. Check it and try again."
                    : ex.Message;
                Response.StatusCode = (int)ex.Status;
            }
        }
        var error = Error;
        await LoadAsync();
        Error ??= error;
        return Page();
    }

    /// <summary>The earliest <c>until</c> a suppression can take, for the field's <c>min</c>.</summary>
    public string MinUntil => Charts.TimeRange.Input(time.GetUtcNow().AddMinutes(1));

    private async Task LoadAsync()
    {
        Finding = await TryAsync(ct => detection.FindingAsync(Id, ct));
        History = await TryAsync(ct => detection.HistoryAsync(Id, ct)) ?? [];
    }
}
