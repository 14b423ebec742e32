namespace Platform.Provisioning.Kinds;

/// <summary>
/// <c>rule-settings</c>: a detection rule's disposition (<c>alert</c> or <c>signal</c>) and whether it runs, by rule id,
/// over what its files say. Detection applies them live; a setting naming no loaded rule is listed in its rule errors.
/// </summary>
public sealed class RuleSettingKind() : ResourceKind<RuleSettingSpec>(ProvisioningKinds.RuleSettings, (n, s, v) => new RuleSettingProvisioned(n, s, v), (n, v) => new RuleSettingDeleted(n, v))
{
    /// <summary>Rule ids are Sigma ids (UUIDs) or, for rules without one, names or titles.</summary>
    public const int MaxRuleIdLength = 256;

    protected override RuleSettingSpec Validate(RuleSettingSpec spec, string field, ValidationErrors errors)
    {
        var ruleId = spec.RuleId?.Trim();
        if (string.IsNullOrEmpty(ruleId))
        {
            errors.Add(ValidationErrors.Field(field, "ruleId"), "is required: the id of a detection rule (GET /v1/rules on detection)");
        }
        else if (ruleId.Length > MaxRuleIdLength)
        {
            errors.Add(ValidationErrors.Field(field, "ruleId"), $"must be at most {MaxRuleIdLength} characters");
        }

        if (spec.Disposition is { } disposition && !Enum.IsDefined(disposition))
        {
            errors.Add(ValidationErrors.Field(field, "disposition"), "must be alert or signal");
        }

        if (spec.Disposition is null && spec.Enabled is null)
        {
            errors.Add(field.Length == 0 ? "body" : field, "set disposition (alert or signal), enabled (true or false), or both");
        }

        return spec with { RuleId = ruleId ?? "" };
    }
}
