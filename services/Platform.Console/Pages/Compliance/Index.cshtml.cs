namespace Platform.Console.Pages.Compliance;

/// <summary>Compliance by config rule, and the way to a resource's timeline.</summary>
public sealed class IndexModel(ComplianceApi compliance) : ConsolePage
{
    public ComplianceSummary? Summary { get; private set; }

    public async Task OnGetAsync() => Summary = await TryAsync(compliance.SummaryAsync);
}
