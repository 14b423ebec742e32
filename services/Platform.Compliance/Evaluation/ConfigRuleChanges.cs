using MassTransit;
using Microsoft.EntityFrameworkCore;
using Platform.Contracts.Provisioning;
using Platform.Messaging;

namespace Platform.Compliance.Evaluation;

/// <summary>
/// Applies provisioning's config rule changes: every instance compiles each into <see cref="LiveConfigRules"/>; the
/// database row (spec, tombstone, the run wanted) changes once, for the first instance to bring it to the new version,
/// which then wakes the run pass to re-evaluate every applicable resource, or drops a deleted rule's evaluations.
/// Older changes arriving late are ignored.
/// </summary>
public sealed partial class ConfigRuleChanges(
    ComplianceDbContext db, LiveConfigRules live, ProvisionedResourceVersions versions, RuleRunSignal signal, TimeProvider clock,
    ILogger<ConfigRuleChanges> logger)
{
    public async Task ApplyAsync(ConfigRuleProvisioned provisioned, CancellationToken cancellationToken)
    {
        if (versions.TryAdvance(ProvisioningKinds.ConfigRules, provisioned.Name, provisioned.Version))
        {
            live.Apply(provisioned.Name, provisioned.Spec, provisioned.Version);
        }

        var now = clock.GetUtcNow();
        var spec = JsonSerializer.Serialize(provisioned.Spec, PlatformJson.Options);
        var changed = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO config_rules (name, provisioned_version, deleted, spec, run_due_at, run_state, run_requested_at)
            VALUES ({provisioned.Name}, {provisioned.Version}, false, {spec}::jsonb, {now}, {RuleRunStates.Pending}, {now})
            ON CONFLICT (name) DO UPDATE SET
                provisioned_version = excluded.provisioned_version, deleted = false, spec = excluded.spec,
                run_due_at = excluded.run_due_at, run_state = excluded.run_state, run_requested_at = excluded.run_requested_at,
                run_error = NULL
            WHERE config_rules.provisioned_version < excluded.provisioned_version
            """, cancellationToken);
        if (changed > 0)
        {
            LogApplied(provisioned.Name, provisioned.Version);
            signal.Wake();
        }
    }

    public async Task ApplyAsync(ConfigRuleDeleted deleted, CancellationToken cancellationToken)
    {
        if (versions.TryAdvance(ProvisioningKinds.ConfigRules, deleted.Name, deleted.Version))
        {
            live.Remove(deleted.Name);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO config_rules (name, provisioned_version, deleted, spec, run_state)
            VALUES ({deleted.Name}, {deleted.Version}, true, 'null'::jsonb, {RuleRunStates.Pending})
            ON CONFLICT (name) DO UPDATE SET provisioned_version = excluded.provisioned_version, deleted = true, run_due_at = NULL
            WHERE config_rules.provisioned_version < excluded.provisioned_version
            """, cancellationToken);
        if (changed > 0)
        {
            var dropped = await db.Database.ExecuteSqlAsync(
                $"DELETE FROM compliance_evaluations WHERE config_rule_name = {deleted.Name}", cancellationToken);
            LogDeleted(deleted.Name, dropped);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Catch-up: the current rules, and a deletion for each rule this database has that provisioning no longer does
    /// (deleted while no instance ran), unless this instance has meanwhile heard of it live.
    /// </summary>
    public static Task CatchUpAsync(ProvisionedResources resources, IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<ConfigRuleChanges>().ApplyAsync(resources, cancellationToken);

    private async Task ApplyAsync(ProvisionedResources resources, CancellationToken cancellationToken)
    {
        foreach (var resource in resources.Resources)
        {
            await ApplyAsync(new ConfigRuleProvisioned(resource.Name, resource.SpecAs<ConfigRuleSpec>(), resource.Version), cancellationToken);
        }
        var current = resources.Resources.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var stored = await db.Set<ConfigRuleRecord>().AsNoTracking().Where(r => !r.Deleted)
            .Select(r => new { r.Name, r.ProvisionedVersion }).ToListAsync(cancellationToken);
        foreach (var rule in stored.Where(r => !current.Contains(r.Name)))
        {
            // Version 0 is below any real one: this records nothing new, and says whether the instance has heard of the rule.
            if (versions.TryAdvance(ProvisioningKinds.ConfigRules, rule.Name, 0))
            {
                await ApplyAsync(new ConfigRuleDeleted(rule.Name, rule.ProvisionedVersion + 1), cancellationToken);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Config rule {Name} applied at version {Version}: every applicable resource is re-evaluated")]
    private partial void LogApplied(string name, long version);

    [LoggerMessage(LogLevel.Information, "Config rule {Name} deleted: {Count} evaluations dropped")]
    private partial void LogDeleted(string name, int count);
}

/// <summary>Provisioning's config rule changes, heard by every instance (each compiles them; the first writes the database).</summary>
public sealed class ProvisionedConfigRulesConsumer(ConfigRuleChanges changes) : IConsumer<ConfigRuleProvisioned>, IConsumer<ConfigRuleDeleted>
{
    public Task Consume(ConsumeContext<ConfigRuleProvisioned> context) => changes.ApplyAsync(context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<ConfigRuleDeleted> context) => changes.ApplyAsync(context.Message, context.CancellationToken);
}
