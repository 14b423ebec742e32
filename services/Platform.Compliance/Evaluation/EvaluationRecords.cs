using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Platform.Compliance.Evaluation;

/// <summary>
/// A config rule's row: the provisioned spec (a tombstone once deleted) and its evaluation run, so every instance
/// reads one table for what is due and what a run has done.
/// </summary>
public sealed class ConfigRuleRecord
{
    public required string Name { get; set; }

    /// <summary>The provisioning version applied; older changes arriving late are ignored.</summary>
    public long ProvisionedVersion { get; set; }

    public bool Deleted { get; set; }

    /// <summary>The <see cref="Platform.Contracts.Provisioning.ConfigRuleSpec"/> as JSON.</summary>
    public required string Spec { get; set; }

    /// <summary>When a run is wanted (creation, change, request, the schedule); null when none is.</summary>
    public DateTimeOffset? RunDueAt { get; set; }

    /// <summary>One of <see cref="RuleRunStates"/>.</summary>
    public required string RunState { get; set; }

    /// <summary>When the last run was asked for (creation, change or request; not the schedule).</summary>
    public DateTimeOffset? RunRequestedAt { get; set; }

    public DateTimeOffset? RunStartedAt { get; set; }

    public DateTimeOffset? RunFinishedAt { get; set; }

    /// <summary>Evaluations the current (or last) run has to make.</summary>
    public int RunResourcesTotal { get; set; }

    /// <summary>Evaluations it has made so far.</summary>
    public int RunResourcesEvaluated { get; set; }

    /// <summary>Why the last run failed.</summary>
    public string? RunError { get; set; }
}

/// <summary>The states of a rule's evaluation run, as DescribeConfigRuleEvaluationStatus would tell them.</summary>
public static class RuleRunStates
{
    public const string Pending = "Pending";
    public const string InProgress = "InProgress";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
}

/// <summary>The current compliance of one resource under one rule: the fold of its evaluation stream.</summary>
public sealed class EvaluationRecord
{
    public required string ConfigRuleName { get; set; }
    public required string ResourceType { get; set; }
    public required string ResourceId { get; set; }
    public required string AwsAccountId { get; set; }
    public required string AwsRegion { get; set; }
    public required string ComplianceType { get; set; }
    public string? Annotation { get; set; }

    /// <summary>The time of the configuration (or schedule) judged: an evaluation about an older one is stale.</summary>
    public DateTimeOffset OrderingTimestamp { get; set; }

    /// <summary>When the last evaluation (a change or the same verdict again) was recorded.</summary>
    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>The version of the evaluation stream; also the row's concurrency token.</summary>
    public long Version { get; set; }
}

internal sealed class ConfigRuleRecordConfiguration : IEntityTypeConfiguration<ConfigRuleRecord>
{
    public void Configure(EntityTypeBuilder<ConfigRuleRecord> e)
    {
        e.ToTable("config_rules");
        e.HasKey(x => x.Name);
        e.Property(x => x.Spec).HasColumnType("jsonb");
    }
}

internal sealed class EvaluationRecordConfiguration : IEntityTypeConfiguration<EvaluationRecord>
{
    public void Configure(EntityTypeBuilder<EvaluationRecord> e)
    {
        e.ToTable("compliance_evaluations");
        e.HasKey(x => new { x.ConfigRuleName, x.ResourceType, x.ResourceId });
        // Two writers of one (rule, resource) cannot both update from the same version.
        e.Property(x => x.Version).IsConcurrencyToken();
    }
}
