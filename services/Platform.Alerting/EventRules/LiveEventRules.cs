using System.Collections.Immutable;

namespace Platform.Alerting.EventRules;

/// <summary>
/// The provisioned event rules of this instance, applied from provisioning's events and catch-up snapshot, each change
/// only when its version is newer than what the instance has (the two can arrive in either order). Swapped atomically.
/// </summary>
public sealed partial class LiveEventRules(ProvisionedResourceVersions versions, ILogger<LiveEventRules> logger)
    : LiveResources<EventRuleSpec, CompiledEventRule>(ProvisioningKinds.EventRules, versions)
{
    private EventRuleSet _set = EventRuleSet.Empty;

    /// <summary>The rules to match with, indexed by source.</summary>
    public EventRuleSet Set => Volatile.Read(ref _set);

    protected override CompiledEventRule? Compile(string name, EventRuleSpec spec, long version)
    {
        try
        {
            return CompiledEventRule.From(name, spec);
        }
        catch (ArgumentException ex)
        {
            // Provisioning validates rules with the same parser; one this version cannot read is left out, loudly.
            LogRuleRejected(name, ex.Message);
            return null;
        }
    }

    protected override void OnChanged(ImmutableSortedDictionary<string, CompiledEventRule> current) =>
        Volatile.Write(ref _set, new EventRuleSet(current));

    [LoggerMessage(LogLevel.Error, "Event rule {Name} was not applied: {Reason}")]
    private partial void LogRuleRejected(string name, string reason);
}
