using Platform.Dashboards;

namespace Platform.Provisioning.Kinds;

/// <summary>
/// <c>dashboards</c>: CloudWatch dashboards as <c>put_dashboard</c> takes them. The body is read at the door with
/// <see cref="DashboardBody"/>, the reader the console draws with, so a stored dashboard is one the console can show:
/// it parses, and every widget is of a known type with the properties that type needs.
/// </summary>
public sealed class DashboardKind() : ResourceKind<DashboardSpec>(ProvisioningKinds.Dashboards, (n, s, v) => new DashboardProvisioned(n, s, v), (n, v) => new DashboardDeleted(n, v))
{
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
