namespace Platform.Sigma;

/// <summary>A compiled detection rule. Thread-safe and immutable; create with <see cref="SigmaRuleCompiler"/>.</summary>
public sealed class SigmaRule
{
    private readonly DetectionNode _detection;
    private readonly IReadOnlyDictionary<string, DetectionNode> _selections;

    internal SigmaRule(SigmaRuleDefinition definition, DetectionNode detection, IReadOnlyDictionary<string, DetectionNode> selections)
    {
        Definition = definition;
        _detection = detection;
        _selections = selections;
    }

    /// <summary>The filters (overrides) joined to the rule's condition, in the order applied.</summary>
    public IReadOnlyList<SigmaFilter> Filters { get; private init; } = [];

    public SigmaRuleDefinition Definition { get; }

    public string Title => Definition.Title;

    public string? Id => Definition.Id;

    /// <summary>Id, else name, else title: how correlations and results identify the rule.</summary>
    public string Key => Definition.Key;

    public string? Level => Definition.Level;

    public SigmaLogSource LogSource => Definition.LogSource;

    internal DetectionNode Detection => _detection;

    /// <summary>True when the rule's log source covers the event's and its detection matches the document.</summary>
    public bool Matches(in SigmaEvent sigmaEvent) =>
        Definition.LogSource.Covers(sigmaEvent.LogSource) && _detection.Evaluate(sigmaEvent.Document);

    /// <summary>Evaluates the detection only, ignoring log sources.</summary>
    public bool MatchesDocument(JsonElement document) => _detection.Evaluate(document);

    /// <summary>
    /// The search identifiers (selections, filters) that hold for the document, by name; an applied filter's are
    /// named <c>&lt;filter key&gt;/&lt;name&gt;</c>. Explains a match: which parts of the condition were true.
    /// </summary>
    public IReadOnlyList<string> SelectionsHolding(JsonElement document) =>
        [.. _selections.Where(s => s.Value.Evaluate(document)).Select(s => s.Key)];

    /// <summary>
    /// This rule with the filter's condition joined by AND (sigma-filters-specification, as pySigma applies it):
    /// the rule now matches only what the filter's condition also accepts.
    /// </summary>
    public SigmaRule WithFilter(SigmaFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Condition is null)
        {
            return this;
        }

        var selections = new Dictionary<string, DetectionNode>(_selections, StringComparer.Ordinal);
        foreach (var (name, node) in filter.Selections)
        {
            selections[filter.Key + "/" + name] = node;
        }

        return new SigmaRule(Definition, new AndNode([_detection, filter.Condition]), selections) { Filters = [.. Filters, filter] };
    }

    /// <summary>This rule with the disposition an override gives it (the platform's <c>disposition</c> on a filter).</summary>
    public SigmaRule WithDisposition(string disposition) =>
        new(Definition with { Disposition = disposition }, _detection, _selections) { Filters = Filters };

    public override string ToString() => $"{Title} ({Key})";
}
