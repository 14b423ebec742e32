using MassTransit;
using System.Collections.Immutable;
using Platform.Contracts.Provisioning;
using Platform.Messaging;

namespace Platform.Alerting.EventRules;

/// <summary>
/// The provisioned event rules of this instance, applied from provisioning's events and catch-up snapshot, each change
/// only when its version is newer than what the instance has (the two can arrive in either order). Swapped atomically.
/// </summary>
public sealed partial class LiveEventRules(ProvisionedResourceVersions versions, ILogger<LiveEventRules> logger)
{
    private EventRuleSet _current = EventRuleSet.Empty;

    public EventRuleSet Current => Volatile.Read(ref _current);

    public void Apply(EventRuleProvisioned provisioned)
    {
        if (!versions.TryAdvance(ProvisioningKinds.EventRules, provisioned.Name, provisioned.Version))
        {
            return;
        }
        CompiledEventRule rule;
        try
        {
            rule = CompiledEventRule.From(provisioned.Name, provisioned.Spec);
        }
        catch (ArgumentException ex)
        {
            // Provisioning validates rules with the same parser; one this version cannot read is left out, loudly.
            LogRuleRejected(provisioned.Name, ex.Message);
            Swap(rules => rules.Remove(provisioned.Name));
            return;
        }
        Swap(rules => rules.SetItem(provisioned.Name, rule));
    }

    public void Apply(EventRuleDeleted deleted)
    {
        if (versions.TryAdvance(ProvisioningKinds.EventRules, deleted.Name, deleted.Version))
        {
            Swap(rules => rules.Remove(deleted.Name));
        }
    }

    private void Swap(Func<ImmutableSortedDictionary<string, CompiledEventRule>, ImmutableSortedDictionary<string, CompiledEventRule>> change)
    {
        while (true)
        {
            var current = Volatile.Read(ref _current);
            var next = new EventRuleSet(change(current.Rules));
            if (Interlocked.CompareExchange(ref _current, next, current) == current)
            {
                return;
            }
        }
    }

    [LoggerMessage(LogLevel.Error, "Event rule {Name} was not applied: {Reason}")]
    private partial void LogRuleRejected(string name, string reason);
}

/// <summary>
/// Applies event rule changes as provisioning publishes them. Bound to a temporary queue per instance: every instance
/// must match with the same rules, so each hears every change.
/// </summary>
public sealed class ProvisionedEventRulesConsumer(LiveEventRules rules) : IConsumer<EventRuleProvisioned>, IConsumer<EventRuleDeleted>
{
    public Task Consume(ConsumeContext<EventRuleProvisioned> context)
    {
        rules.Apply(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<EventRuleDeleted> context)
    {
        rules.Apply(context.Message);
        return Task.CompletedTask;
    }
}
