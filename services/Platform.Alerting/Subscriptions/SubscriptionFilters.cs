using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Provisioning;
using Platform.FilterPatterns;
using Platform.Http;
using Platform.Messaging;

namespace Platform.Alerting.Subscriptions;

/// <summary>A subscription filter with its pattern parsed.</summary>
public sealed record CompiledSubscriptionFilter(string Name, SubscriptionFilterSpec Spec, FilterPattern Pattern);

/// <summary>
/// The provisioned subscription filters this instance applies, by log group, changed live from provisioning's events
/// (each change only when its version is newer). Readers take an immutable snapshot.
/// </summary>
public sealed partial class SubscriptionFilters(ProvisionedResourceVersions versions, ILogger<SubscriptionFilters> logger)
{
    private readonly Lock _gate = new();
    private ImmutableDictionary<string, CompiledSubscriptionFilter> _byName = ImmutableDictionary<string, CompiledSubscriptionFilter>.Empty;

    /// <summary>The filters of each log group.</summary>
    public ImmutableDictionary<string, ImmutableArray<CompiledSubscriptionFilter>> ByLogGroup { get; private set; } =
        ImmutableDictionary<string, ImmutableArray<CompiledSubscriptionFilter>>.Empty;

    public void Apply(SubscriptionFilterProvisioned provisioned)
    {
        if (!versions.TryAdvance(ProvisioningKinds.SubscriptionFilters, provisioned.Name, provisioned.Version))
        {
            return;
        }
        if (FilterPattern.TryParse(provisioned.Spec.FilterPattern, out var error) is not { } pattern)
        {
            // Provisioning parses with the same parser; a filter it let through that this version cannot read is left out, loudly.
            LogRejected(provisioned.Name, error!.ToString());
            Update(b => b.Remove(provisioned.Name));
            return;
        }
        Update(b => b.SetItem(provisioned.Name, new CompiledSubscriptionFilter(provisioned.Name, provisioned.Spec, pattern)));
    }

    public void Apply(SubscriptionFilterDeleted deleted)
    {
        if (versions.TryAdvance(ProvisioningKinds.SubscriptionFilters, deleted.Name, deleted.Version))
        {
            Update(b => b.Remove(deleted.Name));
        }
    }

    private void Update(Func<ImmutableDictionary<string, CompiledSubscriptionFilter>, ImmutableDictionary<string, CompiledSubscriptionFilter>> change)
    {
        lock (_gate)
        {
            _byName = change(_byName);
            ByLogGroup = _byName.Values
                .GroupBy(f => f.Spec.LogGroupName, StringComparer.Ordinal)
                .ToImmutableDictionary(g => g.Key, g => g.OrderBy(f => f.Name, StringComparer.Ordinal).ToImmutableArray(), StringComparer.Ordinal);
        }
    }

    [LoggerMessage(LogLevel.Error, "Subscription filter {Name} left out: its pattern does not parse here ({Reason})")]
    private partial void LogRejected(string name, string reason);
}

/// <summary>
/// Applies subscription filter changes as provisioning makes them. Bound to a temporary queue per instance: every
/// instance filters the same way, so each hears every change.
/// </summary>
public sealed class ProvisionedSubscriptionFiltersConsumer(SubscriptionFilters filters) :
    IConsumer<SubscriptionFilterProvisioned>, IConsumer<SubscriptionFilterDeleted>
{
    public Task Consume(ConsumeContext<SubscriptionFilterProvisioned> context)
    {
        filters.Apply(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<SubscriptionFilterDeleted> context)
    {
        filters.Apply(context.Message);
        return Task.CompletedTask;
    }
}
