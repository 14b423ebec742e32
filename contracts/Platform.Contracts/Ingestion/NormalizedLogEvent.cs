namespace Platform.Contracts.Ingestion;

/// <summary>
/// One log event with the envelope fields every consumer needs lifted out of the record.
/// </summary>
/// <param name="EventId">Stable id: CloudTrail's <c>eventID</c>, otherwise the CloudWatch Logs event id, otherwise a content hash.</param>
/// <param name="SourceType">One of <see cref="LogSourceTypes"/>.</param>
/// <param name="EventTime">When the event happened (CloudTrail <c>eventTime</c>, flow start, log timestamp).</param>
/// <param name="LogGroup">CloudWatch Logs group, when it came through a subscription.</param>
/// <param name="LogStream">CloudWatch Logs stream, when it came through a subscription.</param>
/// <param name="Account">AWS account id (CloudTrail <c>recipientAccountId</c>, flow <c>account-id</c>, subscription owner).</param>
/// <param name="Region">AWS region, when known.</param>
/// <param name="EventSource">CloudTrail <c>eventSource</c>.</param>
/// <param name="EventName">CloudTrail <c>eventName</c>, or the application's event type.</param>
/// <param name="Principal">Who acted: CloudTrail <c>userIdentity.arn</c> (or type for root/anonymous), the application user.</param>
/// <param name="SourceIp">CloudTrail <c>sourceIPAddress</c>, flow <c>srcaddr</c>, the application's source IP.</param>
/// <param name="ErrorCode">CloudTrail <c>errorCode</c>, when the call failed.</param>
/// <param name="Document">
/// What detection rules match against: the CloudTrail record itself, the flow log's fields by their AWS names
/// (numbers as numbers), the application's JSON, or <c>{"message": ...}</c> for plain text.
/// </param>
public sealed record NormalizedLogEvent(
    string EventId,
    string SourceType,
    DateTimeOffset EventTime,
    string? LogGroup,
    string? LogStream,
    string? Account,
    string? Region,
    string? EventSource,
    string? EventName,
    string? Principal,
    string? SourceIp,
    string? ErrorCode,
    LogDocument Document)
{
    /// <summary>
    /// The event's message as CloudWatch Logs held it: a plain-text event's text, otherwise its JSON (a CloudTrail record,
    /// an application's JSON line; a flow log's fields): what filter patterns match and subscriptions deliver.
    /// </summary>
    public string Message() =>
        SourceType == LogSourceTypes.Text
        && Document.Root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
            ? message.GetString()!
            : Document.GetRawText();
}
