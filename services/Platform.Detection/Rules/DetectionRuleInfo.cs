namespace Platform.Detection.Rules;

/// <summary>What findings and the rules API need to know about one loaded rule (detection or correlation).</summary>
/// <param name="Key">The engine's key (id, else name, else title).</param>
/// <param name="Id">The Sigma <c>id</c>, else the key: the finding's <c>ruleId</c>.</param>
/// <param name="Title">The rule's title.</param>
/// <param name="Description">The rule's description.</param>
/// <param name="Level">The Sigma level as written.</param>
/// <param name="Severity">The severity of its findings.</param>
/// <param name="Origin">Where it comes from.</param>
/// <param name="Enabled">False for a custom rule provisioned disabled (listed, not evaluated).</param>
/// <param name="IsCorrelation">True for a correlation rule.</param>
/// <param name="Tags">The rule's tags.</param>
/// <param name="Techniques">ATT&amp;CK techniques from the tags.</param>
/// <param name="Tactics">ATT&amp;CK tactics from the tags.</param>
/// <param name="Source">The file, or <c>custom:&lt;name&gt;</c>, it came from.</param>
/// <param name="Disposition">Alert or signal: the rule's <c>disposition</c> (or an override's), unless a rule setting says otherwise.</param>
public sealed record DetectionRuleInfo(
    string Key,
    string Id,
    string Title,
    string? Description,
    string? Level,
    FindingSeverity Severity,
    RuleOrigin Origin,
    bool Enabled,
    bool IsCorrelation,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Techniques,
    IReadOnlyList<string> Tactics,
    string Source,
    FindingDisposition Disposition);
