namespace Platform.Detection.Rules;

/// <summary>Where a detection rule comes from.</summary>
public enum RuleOrigin
{
    /// <summary>SigmaHQ's CloudTrail rules, shipped unchanged in <c>Rules/sigmahq</c>.</summary>
    Sigmahq,

    /// <summary>Platform's own rules, shipped in <c>Rules/builtin</c>.</summary>
    Builtin,

    /// <summary>Provisioned through the provisioning API (<c>DetectionRuleProvisioned</c>).</summary>
    Custom,

    /// <summary>Posted with a retro-hunt: evaluated by that hunt only.</summary>
    RetroHunt,

    /// <summary>The platform's overrides of shipped rules (Sigma filters), in <c>Rules/overrides</c>.</summary>
    Override,
}
