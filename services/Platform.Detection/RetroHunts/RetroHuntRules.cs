using System.Collections.Concurrent;
using Platform.Detection.Correlation;

namespace Platform.Detection.RetroHunts;

/// <summary>
/// Each running hunt's rules compiled once per instance (from the YAML kept with the hunt, so every instance evaluates
/// the same rules): a <see cref="CompiledRules"/> as live detection has, whose correlation windows are the hunt's own
/// (<see cref="HuntWindowStore"/>).
/// </summary>
public sealed class RetroHuntRules(NpgsqlDataSource dataSource)
{
    /// <summary>Where the hunt's rules come from in findings and rule infos.</summary>
    public const string Source = "retro-hunt";

    private readonly ConcurrentDictionary<Guid, CompiledRules> _compiled = new();
    private readonly PostgresCorrelationWindowStore _windows = PostgresCorrelationWindowStore.ForRetroHunts(dataSource);

    /// <summary>The start of every correlation key of a hunt's windows.</summary>
    public static string WindowPrefixOf(Guid huntId) => huntId.ToString("N") + "/";

    /// <summary>Loads and builds a hunt's rules; the errors name line and reason (the Sigma library's) when they do not build.</summary>
    public static SigmaRuleFile Load(string yaml, out SigmaRuleSet? ruleSet)
    {
        ruleSet = null;
        var file = SigmaRuleLoader.Load(yaml, Source);
        if (!file.Succeeded)
        {
            return file;
        }

        if (file.Rules.Count == 0 && file.Correlations.Count == 0)
        {
            return file with { Errors = [new SigmaRuleError(Source, null, null, 1, 1, "holds no rule")] };
        }

        try
        {
            ruleSet = SigmaRuleSet.Create(file.Rules, file.Correlations);
            return file;
        }
        catch (SigmaRuleException ex)
        {
            return file with { Errors = ex.Errors };
        }
    }

    public CompiledRules For(RetroHuntRecord hunt) => _compiled.GetOrAdd(hunt.Id, _ => Compile(hunt));

    /// <summary>The hunt ended: its rules are of no more use here.</summary>
    public void Forget(Guid huntId) => _compiled.TryRemove(huntId, out _);

    private CompiledRules Compile(RetroHuntRecord hunt)
    {
        var file = Load(hunt.RuleYaml, out var ruleSet);
        if (ruleSet is null)
        {
            throw new SigmaRuleException(file.Errors);
        }

        var infos = RuleCatalog.InfosOf(file, RuleOrigin.RetroHunt, Source, enabled: true)
            .Where(r => hunt.RuleKey is null || r.Key == hunt.RuleKey)
            .ToList();
        return new CompiledRules(ruleSet, new HuntWindowStore(_windows, WindowPrefixOf(hunt.Id)), infos, []);
    }

    /// <summary>
    /// A hunt's correlation windows: the retro-hunt table with every correlation key prefixed by the hunt, so hunts never
    /// mix with each other or with live windows. They are removed whole when the hunt ends.
    /// </summary>
    private sealed class HuntWindowStore(ICorrelationWindowStore inner, string prefix) : ICorrelationWindowStore
    {
        public ValueTask<IReadOnlyList<bool>> RecordAsync(IReadOnlyList<CorrelationObservation> observations, CancellationToken cancellationToken = default) =>
            inner.RecordAsync([.. observations.Select(o => o with { CorrelationKey = prefix + o.CorrelationKey })], cancellationToken);

        public async ValueTask<CorrelationWindowChanges> ReadAsync(IReadOnlyList<CorrelationWindowRead> reads, CancellationToken cancellationToken = default)
        {
            var changes = await inner.ReadAsync([.. reads.Select(r => r with { CorrelationKey = prefix + r.CorrelationKey })], cancellationToken);
            return changes with { Observations = [.. changes.Observations.Select(o => o with { CorrelationKey = o.CorrelationKey[prefix.Length..] })] };
        }

        public ValueTask<int> RemoveOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) => ValueTask.FromResult(0);
    }
}
