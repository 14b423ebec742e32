namespace Platform.Sigma;

/// <summary>
/// A compiled Sigma filter: the rules it names and the condition joined to theirs (see
/// <see cref="SigmaRule.WithFilter"/>), or, with the platform's <c>disabled: true</c>, rules not to evaluate.
/// </summary>
public sealed class SigmaFilter
{
    internal SigmaFilter(SigmaRuleDefinition definition, DetectionNode? condition, IReadOnlyDictionary<string, DetectionNode> selections)
    {
        Definition = definition;
        Condition = condition;
        Selections = selections;
    }

    public SigmaRuleDefinition Definition { get; }

    /// <summary>Id, else name, else title.</summary>
    public string Key => Definition.Key;

    /// <summary>The rules (ids, names or titles) the filter applies to.</summary>
    public IReadOnlyList<string> Rules => Definition.Filter!.Rules;

    /// <summary>True when the named rules are switched off instead of (or besides) filtered.</summary>
    public bool Disables => Definition.Filter!.Disables;

    internal DetectionNode? Condition { get; }

    internal IReadOnlyDictionary<string, DetectionNode> Selections { get; }

    /// <summary>Whether the filter names this rule (by id, name or title).</summary>
    public bool AppliesTo(SigmaRuleDefinition rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Rules.Any(r => r == rule.Id || r == rule.Name || r == rule.Title);
    }
}
