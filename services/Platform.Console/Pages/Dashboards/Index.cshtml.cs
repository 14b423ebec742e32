using Platform.Contracts.Provisioning;

namespace Platform.Console.Pages.Dashboards;

/// <summary>The provisioned dashboards.</summary>
public sealed class IndexModel(ProvisioningApi provisioning) : ConsolePage
{
    public IReadOnlyList<Resource<DashboardSpec>> Dashboards { get; private set; } = [];

    public async Task OnGetAsync() =>
        Dashboards = await TryAsync(provisioning.DashboardsAsync) ?? [];
}
