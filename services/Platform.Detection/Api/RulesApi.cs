namespace Platform.Detection.Api;

/// <summary>The rules this instance evaluates, where they come from, how often they matched, and the ones that failed to load.</summary>
public static class RulesApi
{
    public static RouteGroupBuilder MapRulesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/rules").WithTags("Rules").RequireAuthorization(PlatformPolicies.Read);
        group.MapGet("/", ListRulesAsync)
            .WithOperation("ListRules", "Every loaded rule: id, title, level, origin (sigmahq, builtin, custom), enabled, disposition, tags, matches in the last 24 hours",
                "Also lists the rules that failed to load (`errors`).");
        group.MapGet("/errors", ListErrors)
            .WithOperation("ListRuleErrors", "Rules that failed to load, with their file (or custom rule), line and reason");
        return group;
    }

    public static async Task<Ok<RuleList>> ListRulesAsync(RuleCatalog catalog, RuleMatchCounter counter, TimeProvider clock, CancellationToken cancellationToken)
    {
        var rules = catalog.Current;
        var matches = await counter.Last24HoursAsync(clock.GetUtcNow(), cancellationToken);
        var items = rules.All
            .Select(r => new RuleView(
                r.Id, r.Title, r.Level, r.Severity, r.Origin, r.Enabled, r.IsCorrelation, r.Tags, r.Techniques, r.Source,
                matches.GetValueOrDefault(r.Key), r.Disposition))
            .ToList();
        return TypedResults.Ok(new RuleList(items, rules.Errors));
    }

    public static Ok<RuleErrorList> ListErrors(RuleCatalog catalog) => TypedResults.Ok(new RuleErrorList(catalog.Current.Errors));
}

/// <summary>One loaded rule.</summary>
/// <param name="Id">The Sigma <c>id</c> (findings' <c>ruleId</c>).</param>
/// <param name="Title">The rule's title.</param>
/// <param name="Level">The Sigma level as written.</param>
/// <param name="Severity">The severity of its findings.</param>
/// <param name="Origin">sigmahq, builtin or custom.</param>
/// <param name="Enabled">False for a custom rule provisioned disabled.</param>
/// <param name="Correlation">True for a correlation rule.</param>
/// <param name="Tags">The rule's tags.</param>
/// <param name="Techniques">MITRE ATT&amp;CK techniques from its tags.</param>
/// <param name="Source">Its file, or <c>custom:&lt;name&gt;</c>.</param>
/// <param name="MatchesLast24h">How many events (or correlation results) matched it in the last 24 hours.</param>
/// <param name="Disposition">alert or signal: what its findings are (its file's, an override's, or a rule setting's).</param>
public sealed record RuleView(
    string Id,
    string Title,
    string? Level,
    FindingSeverity Severity,
    RuleOrigin Origin,
    bool Enabled,
    bool Correlation,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Techniques,
    string Source,
    long MatchesLast24h,
    FindingDisposition Disposition);

/// <summary>The loaded rules and the ones that failed to load.</summary>
public sealed record RuleList(IReadOnlyList<RuleView> Items, IReadOnlyList<RuleLoadError> Errors);

/// <summary>The rules that failed to load.</summary>
public sealed record RuleErrorList(IReadOnlyList<RuleLoadError> Items);
