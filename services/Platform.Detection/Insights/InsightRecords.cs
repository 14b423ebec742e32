namespace Platform.Detection.Insights;

/// <summary>
/// A row of <c>insight_keys</c>: one key's progress through event time, its running baseline sums and its open
/// Insights. Locked for the batch's transaction, so instances judging the same key take turns.
/// </summary>
public sealed class InsightKeyRecord
{
    public required string Key { get; set; }
    public string? Account { get; set; }
    public string? Region { get; set; }
    public required string EventSource { get; set; }
    public required string EventName { get; set; }
    public DateTimeOffset FirstMinute { get; set; }
    public DateTimeOffset ClosedThrough { get; set; }
    public DateTimeOffset LatestMinute { get; set; }
    public long BaselineCalls { get; set; }
    public long BaselineErrors { get; set; }
    public string OpenInsights { get; set; } = "{}";
}

/// <summary>A row of <c>insight_minutes</c>: one key's counts in one minute of event time.</summary>
public sealed class InsightMinuteRecord
{
    public required string Key { get; set; }
    public DateTimeOffset Minute { get; set; }
    public long Calls { get; set; }
    public long Errors { get; set; }
    public string Attributions { get; set; } = "{}";

    /// <summary>The count of <paramref name="type"/>: write calls for the call rate, errors for the error rate.</summary>
    public long CountOf(InsightType type) => type == InsightType.ApiCallRate ? Calls : Errors;
}

/// <summary>The Insights tables in detection's model.</summary>
public static class InsightModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<InsightKeyRecord>(e =>
        {
            e.ToTable("insight_keys");
            e.HasKey(x => x.Key);
            e.Property(x => x.OpenInsights).HasColumnType("jsonb");
        });
        modelBuilder.Entity<InsightMinuteRecord>(e =>
        {
            e.ToTable("insight_minutes");
            e.HasKey(x => new { x.Key, x.Minute });
            e.Property(x => x.Attributions).HasColumnType("jsonb");
        });
    }
}
