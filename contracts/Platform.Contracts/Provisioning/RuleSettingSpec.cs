using Platform.Contracts.Detection;

namespace Platform.Contracts.Provisioning;

/// <summary>
/// <c>rule-settings</c>: how an estate wants one detection rule (shipped or custom, by its id) to behave, over what the
/// rule's files say: its disposition (alert or signal) and whether it runs. A field left out keeps the rule's own.
/// </summary>
/// <param name="RuleId">The rule's id as <c>GET /v1/rules</c> lists it (its Sigma <c>id</c>).</param>
/// <param name="Disposition"><c>alert</c> or <c>signal</c>; null keeps the rule's default.</param>
/// <param name="Enabled">False switches the rule off, true on (even one an override disables); null keeps it as shipped.</param>
public sealed record RuleSettingSpec(string RuleId, FindingDisposition? Disposition = null, bool? Enabled = null);
