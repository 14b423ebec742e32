namespace Platform.Sigma.Parsing;

/// <summary>
/// One parsed YAML document of a Sigma file: a detection rule (<see cref="Detection"/> set) or a
/// correlation rule (<see cref="Correlation"/> set). Nothing is compiled yet.
/// </summary>
public sealed record SigmaRuleDefinition
{
    public required string Title { get; init; }
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Status { get; init; }
    public string? Description { get; init; }
    public string? Author { get; init; }
    public string? Date { get; init; }
    public string? Modified { get; init; }
    public string? Level { get; init; }

    /// <summary>
    /// The platform's extension <c>disposition</c>: <c>alert</c> (its findings page) or <c>signal</c> (kept, searchable,
    /// usable by correlations, not paged); null when the rule does not say. On a filter, the disposition it gives the
    /// rules it names.
    /// </summary>
    public string? Disposition { get; init; }

    /// <summary>The dispositions a rule may state.</summary>
    public static readonly IReadOnlyList<string> Dispositions = ["alert", "signal"];
    public IReadOnlyList<string> References { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<string> FalsePositives { get; init; } = [];
    public IReadOnlyList<string> Fields { get; init; } = [];
    public SigmaLogSource LogSource { get; init; }
    public SigmaDetectionDefinition? Detection { get; init; }
    public SigmaCorrelationDefinition? Correlation { get; init; }

    /// <summary>Set for a Sigma filter document (the platform's overrides): the rules it tunes and its selections.</summary>
    public SigmaFilterDefinition? Filter { get; init; }

    /// <summary>The rule's own test cases (its <c>tests:</c> list, or its file's <c>.tests.yml</c> sibling).</summary>
    public IReadOnlyList<SigmaRuleTestCase> Tests { get; init; } = [];

    /// <summary>Where the rule came from (a file path or a caller-given name), for error messages.</summary>
    public string? Source { get; init; }

    /// <summary>1-based line of the document's first key.</summary>
    public int Line { get; init; }

    /// <summary>The identity correlations use to refer to this rule: its id, else its name, else its title.</summary>
    public string Key => Id ?? Name ?? Title;

    internal SigmaRuleError Error(int line, int column, string reason) => new(Source, Title, Id, line, column, reason);
}

/// <summary>The <c>detection</c> section: named search identifiers and the condition(s).</summary>
public sealed record SigmaDetectionDefinition(
    IReadOnlyList<SigmaSearchIdentifier> SearchIdentifiers,
    IReadOnlyList<string> Conditions,
    int ConditionLine);

/// <summary>
/// A search identifier: OR of its field maps and its keywords. A YAML map gives one field map; a list of
/// maps gives several; a list of plain values gives keywords.
/// </summary>
public sealed record SigmaSearchIdentifier(
    string Name,
    int Line,
    IReadOnlyList<SigmaFieldMap> FieldMaps,
    IReadOnlyList<SigmaValue> Keywords);

/// <summary>A map of field conditions, joined by AND.</summary>
public sealed record SigmaFieldMap(int Line, IReadOnlyList<SigmaFieldCondition> Conditions);

/// <summary>
/// <c>field|modifier|...: value(s)</c>. An empty <see cref="Field"/> (key <c>'|all'</c>) is a keyword search.
/// </summary>
public sealed record SigmaFieldCondition(
    string Field,
    IReadOnlyList<string> Modifiers,
    IReadOnlyList<SigmaValue> Values,
    int Line,
    int Column);

public enum SigmaValueKind
{
    String,
    Number,
    Boolean,
    Null,
}

/// <summary>A scalar from the rule, typed the way YAML resolves plain scalars; <see cref="Text"/> is its source text.</summary>
public sealed record SigmaValue(SigmaValueKind Kind, string Text, int Line, int Column)
{
    public double? Number { get; init; }
}

public enum SigmaCorrelationType
{
    EventCount,
    ValueCount,
    ValueSum,
    ValueAvg,
    Temporal,
    TemporalOrdered,
}

public enum SigmaComparison
{
    Gt,
    Gte,
    Lt,
    Lte,
    Eq,
    Neq,
}

/// <summary>One criterion of a correlation condition; several are joined by AND.</summary>
public sealed record SigmaCorrelationCondition(SigmaComparison Comparison, double Threshold)
{
    public bool IsSatisfiedBy(double value) => Comparison switch
    {
        SigmaComparison.Gt => value > Threshold,
        SigmaComparison.Gte => value >= Threshold,
        SigmaComparison.Lt => value < Threshold,
        SigmaComparison.Lte => value <= Threshold,
        SigmaComparison.Eq => value == Threshold,
        SigmaComparison.Neq => value != Threshold,
        _ => false,
    };
}

/// <summary>The <c>correlation</c> section of a correlation rule.</summary>
public sealed record SigmaCorrelationDefinition(
    SigmaCorrelationType Type,
    IReadOnlyList<string> Rules,
    IReadOnlyList<string> GroupBy,
    TimeSpan Timespan,
    IReadOnlyList<SigmaCorrelationCondition> Conditions,
    string? Field,
    bool Generate,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Aliases,
    int Line);

/// <summary>
/// A Sigma filter (sigma-filters-specification): the rules it applies to (by id, name or title) and a detection
/// whose condition is joined to each rule's with AND, as pySigma does (so <c>condition: not selection</c> drops
/// the events the selection describes). <see cref="Disables"/> is the platform's extension: the rules are not
/// evaluated at all (no selection needed).
/// </summary>
public sealed record SigmaFilterDefinition(IReadOnlyList<string> Rules, SigmaDetectionDefinition? Detection, bool Disables, int Line);
