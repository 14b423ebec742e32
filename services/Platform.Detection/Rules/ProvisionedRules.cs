namespace Platform.Detection.Rules;

/// <summary>Custom detection rules as provisioning changes them, applied to the <see cref="RuleCatalog"/>.</summary>
public sealed class ProvisionedDetectionRules(RuleCatalog catalog, ProvisionedResourceVersions versions)
    : LiveKind<DetectionRuleSpec>(ProvisioningKinds.DetectionRules, versions)
{
    protected override void Upsert(string name, DetectionRuleSpec spec, long version) => catalog.UpsertCustom(name, spec);

    protected override void Remove(string name, long version) => catalog.RemoveCustom(name);
}

/// <summary>Suppression rules as provisioning changes them, applied to <see cref="SuppressionRules"/>.</summary>
public sealed partial class ProvisionedSuppressionRules(
    SuppressionRules suppressions, ProvisionedResourceVersions versions, ILogger<ProvisionedSuppressionRules> logger)
    : LiveKind<SuppressionRuleSpec>(ProvisioningKinds.SuppressionRules, versions)
{
    protected override void Upsert(string name, SuppressionRuleSpec spec, long version)
    {
        try
        {
            suppressions.Upsert(name, spec);
        }
        catch (ArgumentException ex)
        {
            // Provisioning validates criteria; a rule it let through that this version cannot read is left out, loudly.
            LogSuppressionRuleRejected(name, ex.Message);
        }
    }

    protected override void Remove(string name, long version) => suppressions.Remove(name);

    [LoggerMessage(LogLevel.Error, "Suppression rule {Name} was not applied: {Reason}")]
    private partial void LogSuppressionRuleRejected(string name, string reason);
}
