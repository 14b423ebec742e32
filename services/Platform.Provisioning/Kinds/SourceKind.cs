namespace Platform.Provisioning.Kinds;

/// <summary><c>sources</c>: Kinesis streams carrying CloudWatch Logs subscription data.</summary>
public sealed partial class SourceKind() : ResourceKind<SourceSpec>(ProvisioningKinds.Sources, (n, s, v) => new SourceProvisioned(n, s, v), (n, v) => new SourceDeleted(n, v))
{
    public static readonly IReadOnlyList<string> StartingPositions = ["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"];

    /// <summary>The fields a VPC Flow Logs format may name (AWS's list, versions 2 to 8).</summary>
    public static readonly IReadOnlySet<string> FlowLogFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets",
        "bytes", "start", "end", "action", "log-status", "vpc-id", "subnet-id", "instance-id", "tcp-flags", "type",
        "pkt-srcaddr", "pkt-dstaddr", "region", "az-id", "sublocation-type", "sublocation-id", "pkt-src-aws-service",
        "pkt-dst-aws-service", "flow-direction", "traffic-path", "ecs-cluster-arn", "ecs-cluster-name",
        "ecs-container-instance-arn", "ecs-container-instance-id", "ecs-container-id", "ecs-second-container-id",
        "ecs-service-name", "ecs-task-definition-arn", "ecs-task-arn", "ecs-task-id", "reject-reason",
    };

    protected override SourceSpec Validate(SourceSpec spec, string field, ValidationErrors errors)
    {
        var streamName = Blank(spec.StreamName);
        var streamArn = Blank(spec.StreamArn);
        var region = Blank(spec.Region);
        if (streamName is null && streamArn is null)
        {
            errors.Add(ValidationErrors.Field(field, "streamName"), "give the stream's name or its ARN (streamArn)");
        }
        if (streamName is not null && !StreamName().IsMatch(streamName))
        {
            errors.Add(ValidationErrors.Field(field, "streamName"), "must be 1 to 128 letters, digits, '_', '.' or '-'");
        }
        if (streamArn is not null)
        {
            var arn = StreamArn().Match(streamArn);
            if (!arn.Success)
            {
                errors.Add(ValidationErrors.Field(field, "streamArn"), "must be a Kinesis stream ARN: arn:aws:kinesis:<region>:<12-digit account>:stream/<name>");
            }
            else
            {
                if (streamName is not null && streamName != arn.Groups["name"].Value)
                {
                    errors.Add(ValidationErrors.Field(field, "streamName"), $"differs from the name in streamArn ('{arn.Groups["name"].Value}')");
                }
                if (region is not null && region != arn.Groups["region"].Value)
                {
                    errors.Add(ValidationErrors.Field(field, "region"), $"differs from the region in streamArn ('{arn.Groups["region"].Value}')");
                }
            }
        }
        if (region is not null && !Region().IsMatch(region))
        {
            errors.Add(ValidationErrors.Field(field, "region"), "is not an AWS region name (e.g. eu-west-1)");
        }

        var endpoint = Blank(spec.Endpoint);
        if (endpoint is not null && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            errors.Add(ValidationErrors.Field(field, "endpoint"), "must be an absolute http or https URL");
        }

        var position = Blank(spec.StartingPosition)?.ToUpperInvariant();
        if (position is null)
        {
            errors.Add(ValidationErrors.Field(field, "startingPosition"), $"is required: one of {string.Join(", ", StartingPositions)}");
        }
        else if (!StartingPositions.Contains(position))
        {
            errors.Add(ValidationErrors.Field(field, "startingPosition"), $"unknown starting position '{spec.StartingPosition}': use one of {string.Join(", ", StartingPositions)}");
        }
        else if (position == "AT_TIMESTAMP" && spec.StartingTimestamp is null)
        {
            errors.Add(ValidationErrors.Field(field, "startingTimestamp"), "is required with AT_TIMESTAMP");
        }
        else if (position != "AT_TIMESTAMP" && spec.StartingTimestamp is not null)
        {
            errors.Add(ValidationErrors.Field(field, "startingTimestamp"), "applies only to AT_TIMESTAMP");
        }

        var logGroup = Blank(spec.LogGroup);
        if (logGroup is not null && LogGroupKind.ValidateLogGroupName(logGroup) is { } logGroupReason)
        {
            errors.Add(ValidationErrors.Field(field, "logGroup"), logGroupReason);
        }

        var format = Blank(spec.FlowLogFormat);
        if (format is not null)
        {
            foreach (var reason in ValidateFlowLogFormat(format))
            {
                errors.Add(ValidationErrors.Field(field, "flowLogFormat"), reason);
            }
        }

        return spec with
        {
            StreamName = streamName,
            StreamArn = streamArn,
            Region = region,
            Endpoint = endpoint,
            StartingPosition = position ?? "",
            LogGroup = logGroup,
            FlowLogFormat = format is null ? null : string.Join(' ', format.Split(' ', StringSplitOptions.RemoveEmptyEntries)),
        };
    }

    /// <summary>A format is <c>${field}</c> tokens separated by spaces, each a field AWS knows.</summary>
    public static IEnumerable<string> ValidateFlowLogFormat(string format)
    {
        foreach (var token in format.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!token.StartsWith("${", StringComparison.Ordinal) || !token.EndsWith('}'))
            {
                yield return $"'{token}' is not a ${{field}} token";
            }
            else if (!FlowLogFields.Contains(token[2..^1]))
            {
                yield return $"unknown flow log field '{token[2..^1]}'";
            }
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,128}$")]
    private static partial Regex StreamName();

    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:kinesis:(?<region>[a-z]{2}(-[a-z]+)+-\d):\d{12}:stream/(?<name>[A-Za-z0-9_.-]{1,128})$")]
    private static partial Regex StreamArn();

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-\d$")]
    private static partial Regex Region();
}
