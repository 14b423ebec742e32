namespace Platform.Contracts.Provisioning;

/// <summary>
/// An SNS topic as the platform keeps it: its subscriptions as SNS's <c>Subscribe</c> takes them. Alarm actions, rule
/// targets and subscription filters name it by SNS ARN (<c>arn:aws:sns:us-east-1:123456789012:security-alerts</c>) or by name.
/// </summary>
/// <param name="Subscriptions">Who receives what is published to the topic.</param>
/// <param name="SigningSecret">
/// The key webhook deliveries are signed with (HMAC-SHA256); the configured default when absent. Never logged.
/// </param>
public sealed record TopicSpec(IReadOnlyList<TopicSubscription> Subscriptions, string? SigningSecret = null);

/// <summary>One subscription: <c>http</c>/<c>https</c> (a webhook URL), <c>slack</c> (an incoming webhook URL),
/// <c>sqs</c> (a queue URL or ARN) or <c>email</c> (an address).</summary>
public sealed record TopicSubscription(string Protocol, string Endpoint);

/// <summary>The protocols a topic subscription may use.</summary>
public static class TopicProtocols
{
    public const string Http = "http";
    public const string Https = "https";
    public const string Slack = "slack";
    public const string Sqs = "sqs";
    public const string Email = "email";

    public static readonly IReadOnlyList<string> All = [Http, Https, Slack, Sqs, Email];
}
