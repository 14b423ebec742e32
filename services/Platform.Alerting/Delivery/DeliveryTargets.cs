using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using MassTransit;
using Platform.Contracts.Alerting;
using Platform.Contracts.Provisioning;
using Platform.Http;
using Platform.Messaging;

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
/// The provisioned topics and functions this instance knows, applied live from provisioning's events (each change only
/// when its version is newer), and what a target resolves to.
/// </summary>
public sealed class DeliveryTargets(ProvisionedResourceVersions versions)
{
    private readonly ConcurrentDictionary<string, TopicSpec> _topics = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FunctionSpec> _functions = new(StringComparer.Ordinal);

    /// <summary>The subscribers <paramref name="target"/> reaches; null (with <paramref name="reason"/>) when it names nothing known.</summary>
    public IReadOnlyList<Subscriber>? Resolve(string target, out string? reason)
    {
        var parsed = DeliveryTarget.Parse(target, out reason);
        switch (parsed)
        {
            case null:
                return null;
            case { Kind: DeliveryTargetKind.Topic } when _topics.TryGetValue(parsed.Name, out var topic):
                if (topic.Subscriptions.Count == 0)
                {
                    reason = $"topic '{parsed.Name}' has no subscriptions";
                    return null;
                }
                return [.. topic.Subscriptions.Select(s =>
                    new Subscriber($"topic:{parsed.Name}|{s.Protocol}|{s.Endpoint}", s.Protocol, s.Endpoint, $"topic:{parsed.Name}"))];
            case { Kind: DeliveryTargetKind.Function } when _functions.TryGetValue(parsed.Name, out var function):
                return [new Subscriber($"function:{parsed.Name}", DeliveryProtocols.Lambda, function.Endpoint, $"function:{parsed.Name}")];
            case { Kind: DeliveryTargetKind.Queue }:
                return [new Subscriber($"queue:{target}", TopicProtocols.Sqs, target, null)];
            default:
                reason = $"no {parsed.Kind.ToString().ToLowerInvariant()} named '{parsed.Name}' is provisioned";
                return null;
        }
    }

    /// <summary>The signing secret of a topic or function (<see cref="Subscriber.Resource"/>), when it names one.</summary>
    public string? SecretOf(string? resource) => resource?.Split(':', 2) switch
    {
        ["topic", var name] => _topics.GetValueOrDefault(name)?.SigningSecret,
        ["function", var name] => _functions.GetValueOrDefault(name)?.SigningSecret,
        _ => null,
    };

    public void Apply(TopicProvisioned provisioned)
    {
        if (versions.TryAdvance(ProvisioningKinds.Topics, provisioned.Name, provisioned.Version))
        {
            _topics[provisioned.Name] = provisioned.Spec;
        }
    }

    public void Apply(TopicDeleted deleted)
    {
        if (versions.TryAdvance(ProvisioningKinds.Topics, deleted.Name, deleted.Version))
        {
            _topics.TryRemove(deleted.Name, out _);
        }
    }

    public void Apply(FunctionProvisioned provisioned)
    {
        if (versions.TryAdvance(ProvisioningKinds.Functions, provisioned.Name, provisioned.Version))
        {
            _functions[provisioned.Name] = provisioned.Spec;
        }
    }

    public void Apply(FunctionDeleted deleted)
    {
        if (versions.TryAdvance(ProvisioningKinds.Functions, deleted.Name, deleted.Version))
        {
            _functions.TryRemove(deleted.Name, out _);
        }
    }
}

/// <summary>
/// Applies topic and function changes as provisioning makes them. Bound to a temporary queue per instance: every
/// instance resolves targets the same way, so each hears every change.
/// </summary>
public sealed class ProvisionedTargetsConsumer(DeliveryTargets targets) :
    IConsumer<TopicProvisioned>, IConsumer<TopicDeleted>, IConsumer<FunctionProvisioned>, IConsumer<FunctionDeleted>
{
    public Task Consume(ConsumeContext<TopicProvisioned> context)
    {
        targets.Apply(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<TopicDeleted> context)
    {
        targets.Apply(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<FunctionProvisioned> context)
    {
        targets.Apply(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<FunctionDeleted> context)
    {
        targets.Apply(context.Message);
        return Task.CompletedTask;
    }
}
