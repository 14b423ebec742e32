namespace Platform.Alerting.Delivery;

/// <summary>
/// One place a delivery goes: a topic's subscription, a function or a queue, with the key that makes it unique among
/// subscribers (a delivery is unique on subscriber and idempotency key).
/// </summary>
/// <param name="Key">Stable for the same destination: <c>topic:&lt;name&gt;|&lt;protocol&gt;|&lt;endpoint&gt;</c>, <c>function:&lt;name&gt;</c>, <c>queue:&lt;arn&gt;</c>.</param>
/// <param name="Protocol">One of <see cref="TopicProtocols"/>, or <see cref="DeliveryProtocols.Lambda"/>.</param>
/// <param name="Endpoint">The URL, queue or address.</param>
/// <param name="Resource">The topic or function whose signing secret applies (<c>topic:&lt;name&gt;</c>, <c>function:&lt;name&gt;</c>).</param>
public sealed record Subscriber(string Key, string Protocol, string Endpoint, string? Resource);

/// <summary>The protocols beyond a topic's: a function is invoked like Lambda.</summary>
public static class DeliveryProtocols
{
    public const string Lambda = "lambda";

    /// <summary>What an unknown target's failed delivery records as its protocol.</summary>
    public const string None = "none";
}

/// <summary>
/// What a target resolves to, from the provisioned topics and functions this instance knows (each applied live, see
/// <see cref="DeliveryExtensions.AddDeliveryConsumers"/>).
/// </summary>
public sealed class DeliveryTargets(LiveResources<TopicSpec> topics, LiveResources<FunctionSpec> functions)
{
    /// <summary>The subscribers <paramref name="target"/> reaches; null (with <paramref name="reason"/>) when it names nothing known.</summary>
    public IReadOnlyList<Subscriber>? Resolve(string target, out string? reason)
    {
        var parsed = DeliveryTarget.Parse(target, out reason);
        switch (parsed)
        {
            case null:
                return null;
            case { Kind: DeliveryTargetKind.Topic } when topics.Find(parsed.Name) is { } topic:
                if (topic.Subscriptions.Count == 0)
                {
                    reason = $"topic '{parsed.Name}' has no subscriptions";
                    return null;
                }
                return [.. topic.Subscriptions.Select(s =>
                    new Subscriber($"topic:{parsed.Name}|{s.Protocol}|{s.Endpoint}", s.Protocol, s.Endpoint, $"topic:{parsed.Name}"))];
            case { Kind: DeliveryTargetKind.Function } when functions.Find(parsed.Name) is { } function:
                return [new Subscriber($"function:{parsed.Name}", DeliveryProtocols.Lambda, function.Endpoint, $"function:{parsed.Name}")];
            case { Kind: DeliveryTargetKind.Queue }:
                return [new Subscriber($"queue:{target}", TopicProtocols.Sqs, target, null)];
            default:
                reason = parsed.NotProvisioned;
                return null;
        }
    }

    /// <summary>The signing secret of a topic or function (<see cref="Subscriber.Resource"/>), when it names one.</summary>
    public string? SecretOf(string? resource) => resource?.Split(':', 2) switch
    {
        ["topic", var name] => topics.Find(name)?.SigningSecret,
        ["function", var name] => functions.Find(name)?.SigningSecret,
        _ => null,
    };
}
