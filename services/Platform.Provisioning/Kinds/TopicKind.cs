using Platform.Contracts.Alerting;
using System.Net.Mail;

namespace Platform.Provisioning.Kinds;

/// <summary><c>topics</c>: SNS topics and their subscriptions, as SNS's <c>Subscribe</c> takes them.</summary>
public sealed class TopicKind() : DeliveryKind<TopicSpec>(ProvisioningKinds.Topics, (n, s, v) => new TopicProvisioned(n, s, v), (n, v) => new TopicDeleted(n, v))
{
    /// <summary>SNS's limit is far higher; a topic here fans out to a handful of people and systems.</summary>
    public const int MaxSubscriptions = 100;

    /// <summary>The signing secret and Slack webhook URLs (whose last path segment is the webhook's token) read masked.</summary>
    public override object Shown(object spec)
    {
        var topic = (TopicSpec)spec;
        return new TopicSpec(
            [.. topic.Subscriptions.Select(s => s.Protocol == TopicProtocols.Slack ? s with { Endpoint = MaskSlackUrl(s.Endpoint) } : s)],
            MaskSecret(topic.SigningSecret));
    }

    public override object Restored(object written, object? current, string field, ValidationErrors errors)
    {
        var topic = (TopicSpec)written;
        var now = current as TopicSpec;
        var subscriptions = new List<TopicSubscription>(topic.Subscriptions.Count);
        for (var i = 0; i < topic.Subscriptions.Count; i++)
        {
            var subscription = topic.Subscriptions[i];
            if (subscription.Protocol == TopicProtocols.Slack && subscription.Endpoint.EndsWith("/" + Mask, StringComparison.Ordinal))
            {
                var kept = now?.Subscriptions.FirstOrDefault(s => s.Protocol == TopicProtocols.Slack && MaskSlackUrl(s.Endpoint) == subscription.Endpoint);
                if (kept is null)
                {
                    errors.Add(ValidationErrors.Field(field, $"subscriptions[{i}].endpoint"), "is the mask shown on reading: give the webhook URL itself");
                }
                subscription = kept ?? subscription;
            }
            subscriptions.Add(subscription);
        }
        return new TopicSpec(subscriptions, RestoreSecret(topic.SigningSecret, now?.SigningSecret, field, errors));
    }

    private static string MaskSlackUrl(string url) => url[..(url.TrimEnd('/').LastIndexOf('/') + 1)] + Mask;

    protected override IEnumerable<(string Field, string Url)> Urls(TopicSpec spec, string field) =>
        spec.Subscriptions
            .Select((s, i) => (Field: ValidationErrors.Field(field, $"subscriptions[{i}].endpoint"), s.Protocol, s.Endpoint))
            .Where(s => s.Protocol is TopicProtocols.Http or TopicProtocols.Https or TopicProtocols.Slack)
            .Select(s => (s.Field, s.Endpoint));

    protected override TopicSpec Validate(TopicSpec spec, string field, ValidationErrors errors)
    {
        var subscriptions = spec.Subscriptions ?? [];
        if (subscriptions.Count > MaxSubscriptions)
        {
            errors.Add(ValidationErrors.Field(field, "subscriptions"), $"holds {subscriptions.Count} subscriptions: at most {MaxSubscriptions}");
        }
        var normalised = new List<TopicSubscription>();
        for (var i = 0; i < subscriptions.Count; i++)
        {
            var at = ValidationErrors.Field(field, $"subscriptions[{i}]");
            if (subscriptions[i] is not { } subscription)
            {
                errors.Add(at, "must be an object with protocol and endpoint");
                continue;
            }
            var protocol = subscription.Protocol?.Trim().ToLowerInvariant() ?? "";
            var endpointField = ValidationErrors.Field(at, "endpoint");
            var endpoint = protocol switch
            {
                TopicProtocols.Http or TopicProtocols.Https => ValidateUrl(subscription.Endpoint, endpointField, errors, protocol),
                TopicProtocols.Slack => ValidateUrl(subscription.Endpoint, endpointField, errors, "https", "http"),
                TopicProtocols.Sqs => ValidateQueue(subscription.Endpoint, endpointField, errors),
                TopicProtocols.Email => ValidateEmail(subscription.Endpoint, endpointField, errors),
                _ => null,
            };
            if (endpoint is null)
            {
                errors.Add(ValidationErrors.Field(at, "protocol"), $"unknown protocol '{subscription.Protocol}': use one of {string.Join(", ", TopicProtocols.All)}");
                continue;
            }
            var item = new TopicSubscription(protocol, endpoint);
            if (normalised.Contains(item))
            {
                errors.Add(at, "subscribes the same endpoint twice");
            }
            normalised.Add(item);
        }
        return new TopicSpec(normalised, ValidateSecret(spec.SigningSecret, field, errors));
    }

    /// <summary>A queue by ARN (<c>arn:aws:sqs:...</c>) or by URL (the queue's endpoint, AWS's or a compatible server's).</summary>
    private static string ValidateQueue(string? endpoint, string field, ValidationErrors errors)
    {
        var trimmed = endpoint?.Trim() ?? "";
        if (trimmed.StartsWith("arn:", StringComparison.Ordinal))
        {
            if (DeliveryTarget.Parse(trimmed, out var reason) is not { Kind: DeliveryTargetKind.Queue })
            {
                errors.Add(field, reason ?? "is not an SQS queue ARN: arn:aws:sqs:<region>:<account>:<name>");
            }
            return trimmed;
        }
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.AbsolutePath.Trim('/').Split('/') is not { Length: 2 })
        {
            errors.Add(field, "must be an SQS queue ARN or URL (https://sqs.<region>.amazonaws.com/<account>/<name>)");
        }
        return trimmed;
    }

    private static string ValidateEmail(string? endpoint, string field, ValidationErrors errors)
    {
        var trimmed = endpoint?.Trim() ?? "";
        if (trimmed.Length > 254 || !MailAddress.TryCreate(trimmed, out var address) || address.Address != trimmed)
        {
            errors.Add(field, "must be an e-mail address (name@example.com)");
        }
        return trimmed;
    }
}
