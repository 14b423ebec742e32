namespace Platform.Ingestion.Parsing;

/// <summary>What is known about a log event besides its message: where it was logged and when.</summary>
/// <param name="LogGroup">The CloudWatch Logs group (or the one the caller named).</param>
/// <param name="LogStream">The CloudWatch Logs stream.</param>
/// <param name="Owner">The subscription message's owner: the AWS account.</param>
/// <param name="CloudWatchEventId">The CloudWatch Logs event id, when it came through a subscription.</param>
/// <param name="Timestamp">The CloudWatch Logs timestamp, or when ingestion received it.</param>
/// <param name="FlowLogFormat">The source's custom flow log format, if any.</param>
/// <param name="IdScope">What a content-hash id is scoped to (the log group or source) when there is no other id.</param>
/// <param name="Position">The line or record position, for content-hash ids.</param>
/// <param name="Subscription">The subscription message it came in, if any.</param>
public readonly record struct LogEventContext(
    string? LogGroup,
    string? LogStream,
    string? Owner,
    string? CloudWatchEventId,
    DateTimeOffset Timestamp,
    FlowLogFormat? FlowLogFormat,
    string IdScope,
    long Position,
    SubscriptionMessage? Subscription = null);
