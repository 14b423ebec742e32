namespace Platform.Detection.RetroHunts;

/// <summary>Where a retro-hunt is.</summary>
public enum RetroHuntStatus
{
    Running,
    Completed,
    Cancelled,
    Failed,
}

/// <summary>A row of <c>retro_hunts</c>: the hunt's rule, range and progress.</summary>
public sealed class RetroHuntRecord
{
    public Guid Id { get; set; }
    public required string RuleYaml { get; set; }

    /// <summary>The one rule whose findings count (a rule named by id); null: every rule of the YAML.</summary>
    public string? RuleKey { get; set; }
    public required string RuleId { get; set; }
    public required string Title { get; set; }
    public DateTimeOffset RangeFrom { get; set; }
    public DateTimeOffset RangeTo { get; set; }
    public RetroHuntStatus Status { get; set; }

    /// <summary>Events in the range; null until ingestion counted them.</summary>
    public long? Total { get; set; }

    /// <summary>Ingestion streamed every event: <see cref="Total"/> is final.</summary>
    public bool Streamed { get; set; }
    public long Scanned { get; set; }
    public long Findings { get; set; }
    public string? Failure { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
}
