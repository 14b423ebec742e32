namespace Platform.Ingestion.Kinesis;

/// <summary>A source as the consumer uses it: the spec resolved into a stream, an endpoint and a start.</summary>
public sealed record KinesisSource(string Name, SourceSpec Spec, string StreamName, KinesisEndpoint Endpoint, ShardPosition StartingPosition)
{
    public IngestionSource Ingestion { get; } = new(Name, Spec.LogGroup, Spec.FlowLogFormat);

    /// <summary>Resolves <paramref name="spec"/>, or explains in <paramref name="error"/> why it cannot be consumed.</summary>
    public static bool TryResolve(string name, SourceSpec spec, string defaultRegion, out KinesisSource? source, out string? error)
    {
        source = null;
        string? streamName = spec.StreamName;
        string? arnRegion = null;
        if (spec.StreamArn is { Length: > 0 } arn)
        {
            // arn:<partition>:kinesis:<region>:<account>:stream/<name>
            var parts = arn.Split(':', 6);
            if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "kinesis" || !parts[5].StartsWith("stream/", StringComparison.Ordinal))
            {
                error = $"StreamArn '{arn}' is not a Kinesis stream ARN (arn:aws:kinesis:<region>:<account>:stream/<name>).";
                return false;
            }
            arnRegion = parts[3];
            streamName ??= parts[5]["stream/".Length..];
        }
        if (string.IsNullOrWhiteSpace(streamName))
        {
            error = "Give StreamName or StreamArn.";
            return false;
        }

        ShardPosition start;
        switch (spec.StartingPosition?.ToUpperInvariant())
        {
            case null or "" or ShardPosition.TrimHorizonType:
                start = ShardPosition.TrimHorizon;
                break;
            case ShardPosition.LatestType:
                start = ShardPosition.Latest;
                break;
            case ShardPosition.AtTimestampType when spec.StartingTimestamp is { } at:
                start = ShardPosition.AtTimestamp(at);
                break;
            case ShardPosition.AtTimestampType:
                error = "StartingTimestamp is required with AT_TIMESTAMP.";
                return false;
            default:
                error = $"StartingPosition '{spec.StartingPosition}' is not TRIM_HORIZON, LATEST or AT_TIMESTAMP.";
                return false;
        }

        Uri? endpoint = null;
        if (spec.Endpoint is { Length: > 0 } && !Uri.TryCreate(spec.Endpoint, UriKind.Absolute, out endpoint))
        {
            error = $"Endpoint '{spec.Endpoint}' is not an absolute URI.";
            return false;
        }

        var region = spec.Region ?? arnRegion ?? defaultRegion;
        source = new KinesisSource(name, spec, streamName, KinesisEndpoint.ForRegion(region, endpoint?.ToString()), start);
        error = null;
        return true;
    }
}
