namespace Platform.Detection.Rules;

/// <summary>
/// Applies custom detection rules and suppression rules as provisioning changes them. Bound to a temporary
/// queue per instance: every instance must evaluate the same rules, so each hears every change.
/// </summary>
public sealed class ProvisionedRulesConsumer(ProvisionedRules rules) :
    IConsumer<DetectionRuleProvisioned>,
    IConsumer<DetectionRuleDeleted>,
    IConsumer<SuppressionRuleProvisioned>,
    IConsumer<SuppressionRuleDeleted>
{
    public Task Consume(ConsumeContext<DetectionRuleProvisioned> context)
    {
        rules.Apply(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<DetectionRuleDeleted> context)
    {
        rules.Apply(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<SuppressionRuleProvisioned> context)
    {
        rules.Apply(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<SuppressionRuleDeleted> context)
    {
        rules.Apply(context.Message);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Applies provisioning's rule events and catch-up snapshots to the catalogs, each change only when its
/// version is newer than what this instance has (events and the snapshot can arrive in either order).
/// </summary>
public sealed partial class ProvisionedRules(
    RuleCatalog catalog, SuppressionRules suppressions, ProvisionedResourceVersions versions, ILogger<ProvisionedRules> logger)
{
    public void Apply(DetectionRuleProvisioned provisioned)
    {
        if (versions.TryAdvance(ProvisioningKinds.DetectionRules, provisioned.Name, provisioned.Version))
        {
            catalog.UpsertCustom(provisioned.Name, provisioned.Spec);
        }
    }

    public void Apply(DetectionRuleDeleted deleted)
    {
        if (versions.TryAdvance(ProvisioningKinds.DetectionRules, deleted.Name, deleted.Version))
        {
            catalog.RemoveCustom(deleted.Name);
        }
    }

    public void Apply(SuppressionRuleProvisioned provisioned)
    {
        if (!versions.TryAdvance(ProvisioningKinds.SuppressionRules, provisioned.Name, provisioned.Version))
        {
            return;
        }

        try
        {
            suppressions.Upsert(provisioned.Name, provisioned.Spec);
        }
        catch (ArgumentException ex)
        {
            // Provisioning validates criteria; a rule it let through that this version cannot read is left out, loudly.
            LogSuppressionRuleRejected(provisioned.Name, ex.Message);
        }
    }

    public void Apply(SuppressionRuleDeleted deleted)
    {
        if (versions.TryAdvance(ProvisioningKinds.SuppressionRules, deleted.Name, deleted.Version))
        {
            suppressions.Remove(deleted.Name);
        }
    }

    [LoggerMessage(LogLevel.Error, "Suppression rule {Name} was not applied: {Reason}")]
    private partial void LogSuppressionRuleRejected(string name, string reason);
}
