using Platform.Dashboards;

namespace Platform.Provisioning.Kinds;

/// <summary>
/// <c>dashboards</c>: CloudWatch dashboards as <c>put_dashboard</c> takes them. The body is read at the door with
/// <see cref="DashboardBody"/>, the reader the console draws with, so a stored dashboard is one the console can show:
/// it parses, and every widget is of a known type with the properties that type needs.
/// </summary>
public sealed class DashboardKind() : ResourceKind<DashboardSpec>(ProvisioningKinds.Dashboards)
{
    public override object Provisioned(string name, object spec, long version) => new DashboardProvisioned(name, (DashboardSpec)spec, version);

    public override object Deleted(string name, long version) => new DashboardDeleted(name, version);

    public override object? SpecOf(object @event) => (@event as DashboardProvisioned)?.Spec;

    protected override DashboardSpec Validate(DashboardSpec spec, string field, ValidationErrors errors)
    {
        DashboardBody.Read(spec.DashboardBody, ValidationErrors.Field(field, "DashboardBody"), errors.Add);
        return spec;
    }

    public override void ValidateNamed(string name, object spec, string field, ValidationErrors errors)
    {
        if (((DashboardSpec)spec).DashboardName is { } given && given != name)
        {
            errors.Add(ValidationErrors.Field(field, "DashboardName"), $"must be the resource's name, '{name}', when given");
        }
    }
}
