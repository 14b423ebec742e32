namespace Platform.Console.Pages.Findings;

/// <summary>Findings, newest first, filtered by status, severity, rule, principal, account and time (detection checks each filter).</summary>
public sealed class IndexModel(DetectionApi detection) : ConsolePage
{
    public static readonly IReadOnlyList<string> Statuses = ["open", "acknowledged", "resolved", "suppressed"];

    [FromQuery] public string? Status { get; set; }
    [FromQuery] public string? MinSeverity { get; set; }
    [FromQuery] public string? RuleId { get; set; }
    [FromQuery] public string? Principal { get; set; }
    [FromQuery] public string? Account { get; set; }
    [FromQuery] public string? From { get; set; }
    [FromQuery] public string? To { get; set; }
    [FromQuery] public string? Cursor { get; set; }

    public Page<Finding>? Findings { get; private set; }

    public async Task OnGetAsync()
    {
        Findings = await TryAsync(ct => detection.FindingsAsync(Query(Cursor), ct));
        if (Error is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
    }

    /// <summary>The filters as detection's query string (empty ones left out), from <paramref name="cursor"/> on.</summary>
    public string Query(string? cursor)
    {
        var filters = new (string Name, string? Value)[]
        {
            ("status", Status), ("minSeverity", MinSeverity), ("ruleId", RuleId), ("principal", Principal), ("account", Account),
            ("from", UtcOf(From)), ("to", UtcOf(To)), ("cursor", cursor),
        };
        var given = filters.Where(f => !string.IsNullOrWhiteSpace(f.Value)).Select(f => $"{f.Name}={Uri.EscapeDataString(f.Value!.Trim())}");
        return "?" + string.Join("&", given);
    }

    /// <summary>A <c>datetime-local</c> value is UTC here (the page says so); detection wants an offset.</summary>
    private static string? UtcOf(string? local) =>
        string.IsNullOrWhiteSpace(local) || local.EndsWith('Z') || local.Contains('+', StringComparison.Ordinal) ? local : local + "Z";
}
