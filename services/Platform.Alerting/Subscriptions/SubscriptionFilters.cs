using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Platform.FilterPatterns;

namespace Platform.Alerting.Subscriptions;

/// <summary>A subscription filter with its pattern parsed.</summary>
public sealed record CompiledSubscriptionFilter(string Name, SubscriptionFilterSpec Spec, FilterPattern Pattern);

/// <summary>
/// The provisioned subscription filters this instance applies, by log group, changed live from provisioning's events
/// (each change only when its version is newer). Readers take an immutable snapshot.
/// </summary>
public sealed partial class SubscriptionFilters(ProvisionedResourceVersions versions, ILogger<SubscriptionFilters> logger)
    : LiveResources<SubscriptionFilterSpec, CompiledSubscriptionFilter>(ProvisioningKinds.SubscriptionFilters, versions)
{
    /// <summary>The filters of each log group.</summary>
    public ImmutableDictionary<string, ImmutableArray<CompiledSubscriptionFilter>> ByLogGroup { get; private set; } =
        ImmutableDictionary<string, ImmutableArray<CompiledSubscriptionFilter>>.Empty;

    protected override CompiledSubscriptionFilter? Compile(string name, SubscriptionFilterSpec spec, long version)
    {
        if (FilterPattern.TryParse(spec.FilterPattern, out var error) is not { } pattern)
        {
            // Provisioning parses with the same parser; a filter it let through that this version cannot read is left out, loudly.
            LogRejected(name, error!.ToString());
            return null;
        }
        return new CompiledSubscriptionFilter(name, spec, pattern);
    }

    protected override void OnChanged(ImmutableSortedDictionary<string, CompiledSubscriptionFilter> current) =>
        ByLogGroup = current.Values
            .GroupBy(f => f.Spec.LogGroupName, StringComparer.Ordinal)
            .ToImmutableDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);

    [LoggerMessage(LogLevel.Error, "Subscription filter {Name} left out: its pattern does not parse here ({Reason})")]
    private partial void LogRejected(string name, string reason);
}
