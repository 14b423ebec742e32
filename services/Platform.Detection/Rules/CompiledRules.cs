using System.Collections.Frozen;

namespace Platform.Detection.Rules;

/// <summary>
/// One immutable generation of the rule catalog: the compiled, indexed rule set the consumer evaluates,
/// its correlation evaluator, and the metadata of every rule (enabled or not) and every load error.
/// </summary>
public sealed class CompiledRules
{
    internal CompiledRules(
        SigmaRuleSet ruleSet,
        ICorrelationWindowStore windows,
        IReadOnlyList<DetectionRuleInfo> all,
        IReadOnlyList<RuleLoadError> errors)
    {
        RuleSet = ruleSet;
        Correlations = new CorrelationEvaluator(ruleSet, windows);
        All = all;
        Errors = errors;
        ByKey = all.Where(r => r.Enabled).ToFrozenDictionary(r => r.Key, StringComparer.Ordinal);
        LongestTimespan = ruleSet.Correlations.Count == 0 ? TimeSpan.Zero : ruleSet.Correlations.Max(c => c.Timespan);
    }

    public SigmaRuleSet RuleSet { get; }

    public CorrelationEvaluator Correlations { get; }

    /// <summary>Every rule the catalog knows, disabled custom rules included.</summary>
    public IReadOnlyList<DetectionRuleInfo> All { get; }

    /// <summary>Rules that failed to load (and are therefore not evaluated).</summary>
    public IReadOnlyList<RuleLoadError> Errors { get; }

    /// <summary>The enabled rules by engine key.</summary>
    public FrozenDictionary<string, DetectionRuleInfo> ByKey { get; }

    /// <summary>The longest correlation timespan: how long correlation observations must be kept.</summary>
    public TimeSpan LongestTimespan { get; }
}
