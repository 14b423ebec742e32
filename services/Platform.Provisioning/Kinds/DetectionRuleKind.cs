using Platform.Sigma;
using Platform.Sigma.Testing;

namespace Platform.Provisioning.Kinds;

/// <summary>
/// <c>detection-rules</c>: custom Sigma documents (a detection rule, or a correlation with its base rules),
/// parsed and compiled with the engine detection runs, so a rule detection would refuse never reaches it.
/// </summary>
public sealed class DetectionRuleKind() : ResourceKind<DetectionRuleSpec>(ProvisioningKinds.DetectionRules, (n, s, v) => new DetectionRuleProvisioned(n, s, v), (n, v) => new DetectionRuleDeleted(n, v))
{
    /// <summary>The Sigma YAML itself (a JSON string) stands for <c>{"yaml": ..., "enabled": true}</c>.</summary>
    public override object? ReadSpec(JsonNode? node, string field, ValidationErrors errors) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? base.ReadSpec(new JsonObject { ["yaml"] = value.GetValue<string>() }, field, errors)
            : base.ReadSpec(node, field, errors);

    protected override DetectionRuleSpec Validate(DetectionRuleSpec spec, string field, ValidationErrors errors)
    {
        var yamlField = ValidationErrors.Field(field, "yaml");
        if (string.IsNullOrWhiteSpace(spec.Yaml))
        {
            errors.Add(yamlField, "is required: a Sigma rule (or a correlation with its base rules) as YAML");
            return spec;
        }

        var yaml = spec.Yaml.ReplaceLineEndings("\n").TrimEnd() + "\n";
        foreach (var reason in ValidateSigma(yaml))
        {
            errors.Add(yamlField, reason);
        }
        return spec with { Yaml = yaml };
    }

    /// <summary>
    /// The engine's errors, each with its line and the rule it concerns; then the rule's own test cases (its
    /// <c>tests:</c>), each failing one named: a rule that does not do what its author says it does is refused.
    /// </summary>
    public static IEnumerable<string> ValidateSigma(string yaml)
    {
        var file = SigmaRuleLoader.Load(yaml, "rule");
        IReadOnlyList<SigmaRuleError> problems = file.Errors;
        if (file.Succeeded)
        {
            if (file.Rules.Count == 0 && file.Correlations.Count == 0)
            {
                return ["holds no Sigma rule"];
            }
            try
            {
                // Resolves the correlations' references: a correlation must come with its base rules. The tests run on
                // an in-memory window store, which completes synchronously.
                var results = SigmaRuleTestRunner.RunFileTestsAsync([file]).GetAwaiter().GetResult();
                return results.Where(r => !r.Passed).Select(r => $"rule '{r.RuleKey}': {r.Describe()}").ToList();
            }
            catch (SigmaRuleException ex)
            {
                problems = ex.Errors;
            }
        }
        return problems.Select(e => e.Describe());
    }
}
