using Platform.Console.Charts;

namespace Platform.Console.Pages.Dashboards;

/// <summary>
/// A dashboard: the time range picker and auto-refresh, and a frame per widget. Each frame loads its widget on its own
/// (<c>/dashboards/{name}/widgets/{index}</c>), so every widget shows its own loading, empty and error state.
/// </summary>
public sealed class ViewModel(ProvisioningApi provisioning, TimeProvider time) : ConsolePage
{
    public static readonly IReadOnlyList<(int Seconds, string Label)> RefreshChoices =
        [(0, "Off"), (30, "Every 30 s"), (60, "Every minute"), (300, "Every 5 minutes")];

    [FromRoute]
    public string Name { get; set; } = "";

    [FromQuery]
    public int Refresh { get; set; }

    public TimeRange? Range { get; private set; }

    public IReadOnlyList<DashboardWidget> Widgets { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var errors = new ValidationErrors();
        Range = TimeRange.Read(name => Request.Query[name], time.GetUtcNow(), errors);
        if (!RefreshChoices.Any(c => c.Seconds == Refresh))
        {
            errors.Add("refresh", $"must be one of {string.Join(", ", RefreshChoices.Select(c => c.Seconds))} seconds");
        }
        if (errors.HasErrors)
        {
            Error = errors.ToString();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        if (await TryAsync(ct => provisioning.DashboardAsync(Name, ct)) is not { } dashboard)
        {
            return;
        }
        var problems = new ValidationErrors();
        Widgets = DashboardBody.Read(dashboard.Spec.DashboardBody, "DashboardBody", problems.Add) ?? [];
        if (problems.HasErrors)
        {
            Error = problems.ToString();
        }
    }
}
