using Platform.Sigma;

namespace Platform.ConfigRules.Policies;

/// <summary>
/// <c>PolicyRuntime: sigma</c>: <c>PolicyText</c> is one Sigma detection rule (the engine detection runs) over the item
/// as Config's notification document (<see cref="ConfigurationItemDocument"/>, log source
/// <see cref="SigmaLogSources.ConfigurationItems"/>): a match is NON_COMPLIANT, no match COMPLIANT.
/// </summary>
public sealed class SigmaPolicy : IPolicy
{
    public const string Runtime = "sigma";

    private readonly SigmaRule _rule;

    private SigmaPolicy(SigmaRule rule) => _rule = rule;

    public Judgement Judge(ConfigurationItem item) =>
        _rule.Matches(new SigmaEvent(ConfigurationItemDocument.Of(item), SigmaLogSources.ConfigurationItems))
            ? Judgement.NonCompliant($"matches the policy '{_rule.Title}'")
            : Judgement.Compliant();

    /// <summary>Compiles <paramref name="yaml"/>; every problem goes to <paramref name="fail"/> under <paramref name="field"/>.</summary>
    internal static SigmaPolicy? Compile(string yaml, string field, Action<string, string> fail)
    {
        var file = SigmaRuleLoader.Load(yaml, "PolicyText");
        foreach (var error in file.Errors)
        {
            fail(field, error.ToString());
        }
        if (file.Errors.Count > 0)
        {
            return null;
        }
        if (file.Correlations.Count > 0)
        {
            fail(field, "holds a correlation: a policy is one Sigma detection rule, judged on each configuration item alone");
            return null;
        }
        if (file.Rules.Count != 1)
        {
            fail(field, $"holds {file.Rules.Count} rules: a policy is one Sigma detection rule");
            return null;
        }
        var rule = file.Rules[0];
        if (!rule.LogSource.Covers(SigmaLogSources.ConfigurationItems))
        {
            fail(field, $"the rule's logsource ({rule.LogSource}) never matches configuration items: use product: aws, service: config");
            return null;
        }
        return new SigmaPolicy(rule);
    }
}
