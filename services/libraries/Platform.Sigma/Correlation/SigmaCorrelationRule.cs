namespace Platform.Sigma.Correlation;

/// <summary>
/// A correlation rule whose references are resolved within a <see cref="SigmaRuleSet"/>. Referenced rules are
/// detection rules or (chained) other correlation rules.
/// </summary>
public sealed class SigmaCorrelationRule
{
    private readonly Dictionary<string, string[]> _groupFieldsByReference;
    private readonly Dictionary<string, string> _valueFieldByReference;

    internal SigmaCorrelationRule(
        SigmaRuleDefinition definition,
        IReadOnlyList<string> referencedKeys,
        Dictionary<string, string[]> groupFieldsByReference,
        Dictionary<string, string> valueFieldByReference)
    {
        Definition = definition;
        Correlation = definition.Correlation!;
        ReferencedKeys = referencedKeys;
        DistinctReferencedCount = referencedKeys.Distinct(StringComparer.Ordinal).Count();
        BoundedByAllRows = Correlation.Conditions.All(c => c.Comparison is SigmaComparison.Gt or SigmaComparison.Gte)
            && (Correlation.Type is SigmaCorrelationType.EventCount or SigmaCorrelationType.ValueCount or SigmaCorrelationType.Temporal
                || (Correlation.Type == SigmaCorrelationType.TemporalOrdered && DistinctReferencedCount == referencedKeys.Count));
        _groupFieldsByReference = groupFieldsByReference;
        _valueFieldByReference = valueFieldByReference;
    }

    public SigmaRuleDefinition Definition { get; }

    public SigmaCorrelationDefinition Correlation { get; }

    public string Key => Definition.Key;

    public string Title => Definition.Title;

    public string? Level => Definition.Level;

    public SigmaCorrelationType Type => Correlation.Type;

    public TimeSpan Timespan => Correlation.Timespan;

    /// <summary>The keys (<see cref="SigmaRule.Key"/> or <see cref="Key"/>) of the referenced rules, in the rule's order.</summary>
    public IReadOnlyList<string> ReferencedKeys { get; }

    /// <summary>How many distinct rules <see cref="ReferencedKeys"/> names: a temporal correlation without a condition needs them all.</summary>
    internal int DistinctReferencedCount { get; }

    /// <summary>
    /// Whether no window can satisfy the condition when the rows of all of a group's windows together do not: its
    /// aggregate only grows with rows (events, distinct values, distinct rules; the steps of an ordered sequence of
    /// distinct rules are at most the distinct rules present) and every condition is a lower bound.
    /// </summary>
    internal bool BoundedByAllRows { get; }

    /// <summary>The group-by names (aliases included), which name the values of a result's group.</summary>
    public IReadOnlyList<string> GroupBy => Correlation.GroupBy;

    /// <summary>The event fields holding the group-by values for events of a referenced rule (aliases resolved).</summary>
    internal string[] GroupFieldsFor(string referencedKey) => _groupFieldsByReference[referencedKey];

    internal string? ValueFieldFor(string referencedKey) => _valueFieldByReference.GetValueOrDefault(referencedKey);

    internal int ReferenceIndex(string referencedKey)
    {
        for (var i = 0; i < ReferencedKeys.Count; i++)
        {
            if (ReferencedKeys[i] == referencedKey)
            {
                return i;
            }
        }

        return -1;
    }

    public override string ToString() => $"{Title} ({Key})";
}
