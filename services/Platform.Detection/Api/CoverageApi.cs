namespace Platform.Detection.Api;

/// <summary>
/// Which MITRE ATT&amp;CK techniques the rules this instance evaluates can report, so a security team sees its gaps
/// without reading rule files. Only enabled, reporting rules count: a rule an override or a provisioning switched
/// off, and a correlation's building block (which never raises a finding alone), cover nothing.
/// </summary>
public static class CoverageApi
{
    public static RouteGroupBuilder MapCoverageApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/coverage").WithTags("Rules").RequireAuthorization(PlatformPolicies.Read);
        group.MapGet("/", GetCoverage)
            .WithOperation("GetCoverage", "The MITRE ATT&CK techniques the enabled rules cover: per technique, its tactics and the rules that report it",
                "Rules disabled by an override or provisioned disabled, and correlation building blocks, are left out.");
        return group;
    }

    public static Ok<CoverageReport> GetCoverage(RuleCatalog catalog)
    {
        var rules = catalog.Current;
        var reporting = rules.ByKey.Values.Where(r => rules.RuleSet.GeneratesResults(r.Key)).ToList();
        var techniques = reporting
            .SelectMany(rule => rule.Techniques.Select(technique => (Technique: technique, Rule: rule)))
            .GroupBy(t => t.Technique, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new TechniqueCoverage(
                g.Key,
                [.. g.SelectMany(t => t.Rule.Tactics).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                [.. g.Select(t => new CoveringRule(t.Rule.Id, t.Rule.Title, t.Rule.Level, t.Rule.Origin)).OrderBy(r => r.Title, StringComparer.Ordinal)]))
            .ToList();
        return TypedResults.Ok(new CoverageReport(reporting.Count, techniques));
    }
}

/// <summary>The techniques the enabled rules cover.</summary>
/// <param name="ReportingRules">How many enabled rules can raise findings (building blocks not counted).</param>
/// <param name="Techniques">Every technique at least one of them is tagged with, by technique id.</param>
public sealed record CoverageReport(int ReportingRules, IReadOnlyList<TechniqueCoverage> Techniques);

/// <summary>One ATT&amp;CK technique and the enabled rules that report it.</summary>
/// <param name="Technique">The technique or sub-technique id, e.g. <c>T1537</c> or <c>T1098.003</c>.</param>
/// <param name="Tactics">The tactics the covering rules are tagged with, e.g. <c>exfiltration</c>.</param>
/// <param name="Rules">The covering rules.</param>
public sealed record TechniqueCoverage(string Technique, IReadOnlyList<string> Tactics, IReadOnlyList<CoveringRule> Rules);

/// <summary>A rule covering a technique.</summary>
/// <param name="Id">The rule's id (findings' <c>ruleId</c>).</param>
/// <param name="Title">The rule's title.</param>
/// <param name="Level">The Sigma level as written.</param>
/// <param name="Origin">sigmahq, builtin or custom.</param>
public sealed record CoveringRule(string Id, string Title, string? Level, RuleOrigin Origin);
