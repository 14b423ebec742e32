namespace Platform.Sigma.Testing;

/// <summary>
/// One test case a rule carries: the events to replay (one for a detection rule, several for a correlation) and
/// the result expected of the rule. <see cref="Rule"/> names the rule tested when the case sits in a filter
/// (an override names several rules), else it is null: the rule that carries the case.
/// </summary>
public sealed record SigmaRuleTestCase(string Name, IReadOnlyList<JsonElement> Events, SigmaTestExpectation Expect, int Line)
{
    public string? Rule { get; init; }
}

/// <summary>
/// What a test case expects: <c>match</c> (at least one finding), <c>no-match</c> (none), or an exact number of
/// findings (a detection rule makes one per matching event; a correlation one per group that fired).
/// </summary>
public sealed record SigmaTestExpectation(int? Count)
{
    public static SigmaTestExpectation Matching { get; } = new((int?)null);

    public static SigmaTestExpectation NotMatching { get; } = new(0);

    public static SigmaTestExpectation Findings(int count) => new(count);

    /// <summary>True unless the case expects no finding.</summary>
    public bool ExpectsMatch => Count is not 0;

    public bool IsMetBy(int findings) => Count is { } count ? findings == count : findings > 0;

    public override string ToString() => Count switch
    {
        null => "match",
        0 => "no-match",
        var count => $"{count} findings",
    };
}
