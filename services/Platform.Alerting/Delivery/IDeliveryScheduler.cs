namespace Platform.Alerting.Delivery;

/// <summary>
/// What is delivered to a target: the body (the EventBridge event, the alarm notification, the subscription data),
/// a subject for protocols that have one, and the key that makes a redelivered message send nothing twice.
/// </summary>
/// <param name="IdempotencyKey">The same for every attempt to deliver the same thing (for example the rule, target and event id).</param>
/// <param name="Subject">A one-line summary (email subject, Slack text).</param>
/// <param name="Body">The JSON delivered.</param>
public sealed record DeliveryMessage(string IdempotencyKey, string Subject, JsonNode Body);

/// <summary>
/// Hands a message to a target — a topic or function by ARN (<c>arn:aws:sns:...:security-alerts</c>,
/// <c>arn:aws:lambda:...:function:process-logs</c>, <c>arn:aws:sqs:...</c>) or by name — for delivery at least once
/// and exactly once in effect per subscriber. Scheduling the same <see cref="DeliveryMessage.IdempotencyKey"/> for the
/// same target again does nothing.
/// </summary>
public interface IDeliveryScheduler
{
    Task ScheduleAsync(string target, DeliveryMessage message, CancellationToken cancellationToken);
}
