namespace Platform.Contracts.Provisioning;

/// <summary>
/// A CloudWatch Logs subscription filter, as <c>put_subscription_filter</c> takes it: the events of
/// <see cref="LogGroupName"/> that match <see cref="FilterPattern"/> are delivered to <see cref="DestinationArn"/> (a
/// function, topic or queue) in the payload CloudWatch Logs sends a Lambda subscription.
/// </summary>
/// <param name="LogGroupName">The log group whose events are filtered.</param>
/// <param name="FilterName">The filter's name in the payload's <c>subscriptionFilters</c>.</param>
/// <param name="FilterPattern">A CloudWatch Logs filter pattern; empty matches every event.</param>
/// <param name="DestinationArn">Where matching events go: a Lambda, SNS or SQS ARN (or a topic's name).</param>
/// <param name="RoleArn">Accepted as AWS takes it; the platform needs no role to deliver.</param>
/// <param name="Distribution"><c>ByLogStream</c> or <c>Random</c>; accepted as AWS takes it.</param>
public sealed record SubscriptionFilterSpec(
    string LogGroupName,
    string FilterName,
    string FilterPattern,
    string DestinationArn,
    string? RoleArn = null,
    string? Distribution = null);
