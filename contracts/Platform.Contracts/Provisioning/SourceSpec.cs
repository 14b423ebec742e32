namespace Platform.Contracts.Provisioning;

/// <summary>A Kinesis stream carrying CloudWatch Logs subscription data, and how to read it.</summary>
/// <param name="StreamName">The stream's name; or give <paramref name="StreamArn"/>.</param>
/// <param name="StreamArn">The stream's ARN (its region and name are taken from it).</param>
/// <param name="Region">AWS region; the configured default when absent.</param>
/// <param name="Endpoint">Endpoint override (e.g. kinesalite, a VPC endpoint).</param>
/// <param name="StartingPosition"><c>TRIM_HORIZON</c>, <c>LATEST</c> or <c>AT_TIMESTAMP</c>, used where no checkpoint exists.</param>
/// <param name="StartingTimestamp">Required with <c>AT_TIMESTAMP</c>.</param>
/// <param name="LogGroup">The log group to assume when a record does not say.</param>
/// <param name="FlowLogFormat">A VPC Flow Logs custom format (<c>${version} ${account-id} ...</c>) for records without a header.</param>
/// <param name="Enabled">False pauses consumption, keeping checkpoints.</param>
public sealed record SourceSpec(
    string? StreamName,
    string? StreamArn,
    string? Region,
    string? Endpoint,
    string StartingPosition,
    DateTimeOffset? StartingTimestamp,
    string? LogGroup,
    string? FlowLogFormat,
    bool Enabled = true);
