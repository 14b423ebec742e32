namespace Platform.Ingestion.Kinesis;

/// <summary>
/// Sources declared in configuration, <c>Platform:Ingestion:Sources:&lt;name&gt;:{StreamName, StreamArn, Region,
/// Endpoint, StartingPosition, StartingTimestamp, LogGroup, FlowLogFormat, Enabled}</c>.
/// </summary>
public static class KinesisSourceConfiguration
{
    public const string Section = "Platform:Ingestion:Sources";

    public static IReadOnlyDictionary<string, SourceSpec> Read(IConfiguration configuration)
    {
        var sources = new Dictionary<string, SourceSpec>(StringComparer.Ordinal);
        foreach (var section in configuration.GetSection(Section).GetChildren())
        {
            sources[section.Key] = new SourceSpec(
                StreamName: section[nameof(SourceSpec.StreamName)],
                StreamArn: section[nameof(SourceSpec.StreamArn)],
                Region: section[nameof(SourceSpec.Region)],
                Endpoint: section[nameof(SourceSpec.Endpoint)],
                StartingPosition: section[nameof(SourceSpec.StartingPosition)] ?? ShardPosition.TrimHorizonType,
                StartingTimestamp: section[nameof(SourceSpec.StartingTimestamp)] is { Length: > 0 } at
                    ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                    : null,
                LogGroup: section[nameof(SourceSpec.LogGroup)],
                FlowLogFormat: section[nameof(SourceSpec.FlowLogFormat)],
                Enabled: !bool.TryParse(section[nameof(SourceSpec.Enabled)], out var enabled) || enabled);
        }
        return sources;
    }
}
