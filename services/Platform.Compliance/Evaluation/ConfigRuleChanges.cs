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
    ILogger<ConfigRuleChanges> logger) : ILiveConfiguration<ConfigRuleSpec>
{
    public async Task ApplyAsync(string name, ConfigRuleSpec spec, long version, CancellationToken cancellationToken)
    {
        versions.TryApply(ProvisioningKinds.ConfigRules, name, version, () => live.Apply(name, spec, version));

        var now = clock.GetUtcNow();
        var specJson = JsonSerializer.Serialize(spec, PlatformJson.Options);
        var changed = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO config_rules (name, provisioned_version, deleted, spec, run_due_at, run_state, run_requested_at)
            VALUES ({name}, {version}, false, {specJson}::jsonb, {now}, {RuleRunStates.Pending}, {now})
            ON CONFLICT (name) DO UPDATE SET
                provisioned_version = excluded.provisioned_version, deleted = false, spec = excluded.spec,
                run_due_at = excluded.run_due_at, run_state = excluded.run_state, run_requested_at = excluded.run_requested_at,
                run_error = NULL
            WHERE config_rules.provisioned_version < excluded.provisioned_version
            """, cancellationToken);
        if (changed > 0)
        {
            LogApplied(name, version);
            signal.Wake();
        }
    }

    public async Task RemoveAsync(string name, long version, CancellationToken cancellationToken)
    {
        versions.TryApply(ProvisioningKinds.ConfigRules, name, version, () => live.Remove(name));

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO config_rules (name, provisioned_version, deleted, spec, run_state)
            VALUES ({name}, {version}, true, 'null'::jsonb, {RuleRunStates.Pending})
            ON CONFLICT (name) DO UPDATE SET provisioned_version = excluded.provisioned_version, deleted = true, run_due_at = NULL
            WHERE config_rules.provisioned_version < excluded.provisioned_version
            """, cancellationToken);
        if (changed > 0)
        {
            var dropped = await db.Database.ExecuteSqlAsync(
                $"DELETE FROM compliance_evaluations WHERE config_rule_name = {name}", cancellationToken);
            LogDeleted(name, dropped);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// After the catch-up: a deletion for each rule this database has that provisioning no longer does (deleted while no
    /// instance ran), unless this instance has meanwhile heard of it live.
    /// </summary>
    public async Task CaughtUpAsync(IReadOnlySet<string> current, CancellationToken cancellationToken)
    {
        var stored = await db.Set<ConfigRuleRecord>().AsNoTracking().Where(r => !r.Deleted)
            .Select(r => new { r.Name, r.ProvisionedVersion }).ToListAsync(cancellationToken);
        foreach (var rule in stored.Where(r => !current.Contains(r.Name)))
        {
            // Version 0 is below any real one: this records nothing new, and says whether the instance has heard of the rule.
            if (versions.TryApply(ProvisioningKinds.ConfigRules, rule.Name, 0))
            {
                await RemoveAsync(rule.Name, rule.ProvisionedVersion + 1, cancellationToken);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Config rule {Name} applied at version {Version}: every applicable resource is re-evaluated")]
    private partial void LogApplied(string name, long version);

    [LoggerMessage(LogLevel.Information, "Config rule {Name} deleted: {Count} evaluations dropped")]
    private partial void LogDeleted(string name, int count);
}
