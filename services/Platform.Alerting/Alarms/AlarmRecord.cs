using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Platform.Alerting.Alarms;

/// <summary>
/// An alarm's row: its definition and current state, the fold of its stream (<see cref="Version"/> is the stream's
/// version), so the minute pass and the API read one table instead of every stream.
/// </summary>
public sealed class AlarmRecord
{
    public required string Name { get; set; }
    public long Version { get; set; }

    /// <summary>The provisioning version of the definition applied; older changes arriving late are ignored.</summary>
    public long ProvisionedVersion { get; set; }

    /// <summary>A tombstone: the alarm was deleted at <see cref="ProvisionedVersion"/>.</summary>
    public bool Deleted { get; set; }

    /// <summary>The <see cref="AlarmSpec"/> as JSON.</summary>
    public required string Spec { get; set; }

    /// <summary>The watched metric as <see cref="AlarmMetricKey"/> writes it.</summary>
    public required string MetricKey { get; set; }

    public required string StateValue { get; set; }
    public required string StateReason { get; set; }
    public string? StateReasonData { get; set; }
    public DateTimeOffset StateUpdatedAt { get; set; }

    public AlarmSpec ReadSpec() => JsonSerializer.Deserialize<AlarmSpec>(Spec, PlatformJson.Options)!;

    public AlarmRecord Copy() => (AlarmRecord)MemberwiseClone();
}

internal sealed class AlarmRecordConfiguration : IEntityTypeConfiguration<AlarmRecord>
{
    public void Configure(EntityTypeBuilder<AlarmRecord> e)
    {
        e.ToTable("alarms");
        e.HasKey(x => x.Name);
        e.Property(x => x.Name).HasColumnName("name");
        e.Property(x => x.Version).HasColumnName("version");
        e.Property(x => x.ProvisionedVersion).HasColumnName("provisioned_version");
        e.Property(x => x.Deleted).HasColumnName("deleted");
        e.Property(x => x.Spec).HasColumnName("spec").HasColumnType("jsonb");
        e.Property(x => x.MetricKey).HasColumnName("metric_key");
        e.Property(x => x.StateValue).HasColumnName("state_value");
        e.Property(x => x.StateReason).HasColumnName("state_reason");
        e.Property(x => x.StateReasonData).HasColumnName("state_reason_data").HasColumnType("jsonb");
        e.Property(x => x.StateUpdatedAt).HasColumnName("state_updated_at");
    }
}

/// <summary>One text per metric (namespace, name and every dimension), the same for an alarm and for the data that arrives.</summary>
public static class AlarmMetricKey
{
    public static string Of(string ns, string metricName, IReadOnlyDictionary<string, string> dimensions) =>
        JsonSerializer.Serialize(new object[]
        {
            ns, metricName, dimensions.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new[] { d.Key, d.Value }).ToArray(),
        });

    public static string Of(MetricIdentity metric) => Of(metric.Namespace, metric.MetricName, metric.Dimensions);

    public static string Of(MetricAlarm alarm) => Of(alarm.Namespace, alarm.MetricName, alarm.Dimensions);
}
