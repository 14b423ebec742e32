namespace Platform.Contracts.Provisioning;

/// <summary>
/// A CloudWatch dashboard as <c>put_dashboard</c> takes it, AWS's field names and casing kept: the body is the dashboard
/// body JSON, as a string. The resource's name is the dashboard's name; the console draws it at <c>/dashboards/{name}</c>.
/// </summary>
/// <param name="DashboardName">The dashboard's name; the resource's name when absent, and equal to it when given.</param>
/// <param name="DashboardBody">
/// The dashboard body JSON (<c>{"widgets": [...]}</c>): widgets of type metric, log, text and alarm as CloudWatch writes
/// them, and the platform's own findings and compliance.
/// </param>
public sealed record DashboardSpec(
    [property: JsonPropertyName("DashboardName")] string? DashboardName,
    [property: JsonPropertyName("DashboardBody")] string? DashboardBody);
