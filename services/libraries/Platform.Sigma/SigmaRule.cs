namespace Platform.Sigma;

/// <summary>A compiled detection rule. Thread-safe and immutable; create with <see cref="SigmaRuleCompiler"/>.</summary>
public sealed class SigmaRule
{
    private readonly DetectionNode _detection;

    internal SigmaRule(SigmaRuleDefinition definition, DetectionNode detection)
    {
        Definition = definition;
        _detection = detection;
    }

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

    public override string ToString() => $"{Title} ({Key})";
}
