using Platform.ConfigRules.Remediation;

namespace Platform.Provisioning.Kinds;

/// <summary>
/// <c>remediations</c>: one element of <c>put_remediation_configurations</c>' <c>RemediationConfigurations</c>, named
/// after its config rule, read with <see cref="RemediationConfiguration.Parse"/> as the compliance service reads it.
/// A remediation of a rule that does not exist yet is accepted with a warning.
/// </summary>
public sealed class RemediationKind() : ResourceKind<RemediationSpec>(ProvisioningKinds.Remediations, (n, s, v) => new RemediationProvisioned(n, s, v), (n, v) => new RemediationDeleted(n, v))
{
    /// <summary>Checked under the rule name the spec gives (the resource's name is checked in <see cref="ValidateNamed"/>).</summary>
    protected override RemediationSpec Validate(RemediationSpec spec, string field, ValidationErrors errors)
    {
        ConfigRuleKind.Report(RemediationConfiguration.Parse(spec.ConfigRuleName ?? "", spec).Errors, field, errors);
        return spec;
    }

    public override void ValidateNamed(string name, object spec, string field, ValidationErrors errors) =>
        ConfigRuleKind.Report(RemediationConfiguration.Parse(name, (RemediationSpec)spec).Errors, field, errors);

    public override async Task<IReadOnlyList<string>> WarningsAsync(string name, object spec, ResourceStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(ProvisioningKinds.ConfigRules, name, cancellationToken) is null
            ? [$"No config rule '{name}' exists: remediation '{name}' runs once a rule of that name finds a resource NON_COMPLIANT."]
            : [];
}
