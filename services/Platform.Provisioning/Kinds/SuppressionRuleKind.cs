namespace Platform.Provisioning.Kinds;

/// <summary><c>suppression-rules</c>: criteria on finding fields whose matching findings are auto-suppressed.</summary>
public sealed class SuppressionRuleKind() : ResourceKind<SuppressionRuleSpec>(ProvisioningKinds.SuppressionRules, (n, s, v) => new SuppressionRuleProvisioned(n, s, v), (n, v) => new SuppressionRuleDeleted(n, v))
{
    /// <summary>The finding fields a criterion may name.</summary>
    public static readonly IReadOnlyList<string> CriterionFields = ["ruleId", "severity", "principal", "account", "region", "sourceIp", "resource"];

    protected override SuppressionRuleSpec Validate(SuppressionRuleSpec spec, string field, ValidationErrors errors)
    {
        var criteria = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (spec.Criteria is null || spec.Criteria.Count == 0)
        {
            errors.Add(ValidationErrors.Field(field, "criteria"), $"at least one criterion is required, on {string.Join(", ", CriterionFields)}");
        }
        else
        {
            foreach (var (name, values) in spec.Criteria)
            {
                var criterionField = ValidationErrors.Field(field, $"criteria.{name}");
                if (!CriterionFields.Contains(name, StringComparer.Ordinal))
                {
                    errors.Add(criterionField, $"unknown criterion field '{name}': use {string.Join(", ", CriterionFields)}");
                }
                else if (values is null || values.Count == 0 || values.Any(string.IsNullOrWhiteSpace))
                {
                    errors.Add(criterionField, "give one or more non-empty values");
                }
                else
                {
                    criteria[name] = values.Select(v => v.Trim()).ToArray();
                }
            }
        }

        if (string.IsNullOrWhiteSpace(spec.Reason))
        {
            errors.Add(ValidationErrors.Field(field, "reason"), "is required: say why these findings are suppressed");
        }
        errors.AddIfLonger(ValidationErrors.Field(field, "reason"), spec.Reason?.Trim(), ValidationErrors.MaxReasonLength);

        return spec with { Criteria = criteria, Reason = spec.Reason?.Trim() ?? "" };
    }
}
