using Platform.Sigma.Testing;

namespace Platform.Detection.Api;

/// <summary>
/// Tries a rule before (or after) it is deployed: a Sigma rule given as YAML, or a loaded rule by id, against
/// events the analyst supplies, with the evaluation detection runs. Answers per event whether the rule matched and
/// why (the selections that held), so a rule author sees what their condition does without ingesting anything.
/// </summary>
public static class RuleTestApi
{
    /// <summary>More events than this in one test is a replay, not a test.</summary>
    public const int MaxEvents = 1000;

    /// <summary>A request body holds the rule and its events: 1 MiB is hundreds of CloudTrail records.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>Adds <c>POST /test</c> to the rules' group (<see cref="RulesApi.MapRulesApi"/>).</summary>
    public static RouteGroupBuilder MapRuleTestApi(this RouteGroupBuilder rules)
    {
        rules.MapPost("/test", TestRuleAsync)
            .WithOperation("TestRule", "Runs a rule (Sigma YAML, or a loaded rule's id) against the given events: which match, and why",
                "Body: `{\"rule\": \"<Sigma YAML or rule id>\", \"events\": [{...}]}`. A correlation is given with its base rules "
                + "and its events in order. The answer lists, per event, whether the rule matched (a correlation: fired) and the rules and "
                + "selections that held (for a rule that did not match, the ones that did hold: why not); a rule's own `tests:` are run too.")
            .ProducesValidationProblem();
        return rules;
    }

    public static async Task<IResult> TestRuleAsync(HttpContext http, RuleCatalog catalog, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<RuleTestRequest>(http, JsonBody.RequestOptions, cancellationToken, MaxBodyBytes);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        var events = body.Value?.Events ?? [];
        if (body.Value?.Events is null)
        {
            errors.Add("events", "is required: a list of event documents (JSON objects)");
        }
        else if (events.Count > MaxEvents)
        {
            errors.Add("events", $"holds {events.Count} events; at most {MaxEvents}");
        }

        for (var i = 0; i < events.Count && i < MaxEvents; i++)
        {
            if (events[i].ValueKind != JsonValueKind.Object)
            {
                errors.Add($"events[{i}]", "must be a JSON object (a CloudTrail record, a flow record, ...)");
            }
        }

        var target = Resolve(body.Value?.Rule, catalog.Current, errors);
        if (errors.HasErrors || target is not var (ruleSet, ruleKey, tests))
        {
            return errors.ToProblem();
        }

        var evaluation = await SigmaRuleTestRunner.EvaluateAsync(ruleSet, ruleKey, events, cancellationToken);
        var testResults = await SigmaRuleTestRunner.RunAsync(ruleSet, ruleKey, tests, cancellationToken);
        return TypedResults.Ok(new RuleTestResponse(
            ruleKey,
            evaluation.Findings,
            [.. evaluation.Events.Select(e => new RuleTestEventResult(
                e.Index, e.Matched, [.. e.Rules.Select(r => new RuleTestRuleMatch(r.RuleKey, r.Title, r.Matched, r.Selections))]))],
            [.. testResults.Select(t => new RuleTestCaseResult(t.Case.Name, t.Passed, t.Case.Expect.ToString(), t.Evaluation.Findings))]));
    }

    /// <summary>The rule to run: a loaded, enabled rule by id (or key), else the rule the YAML reports, compiled on its own.</summary>
    private static (SigmaRuleSet RuleSet, string RuleKey, IReadOnlyList<SigmaRuleTestCase> Tests)? Resolve(
        string? rule, CompiledRules rules, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(rule))
        {
            errors.Add("rule", "is required: a Sigma rule as YAML, or the id of a loaded rule");
            return null;
        }

        if (rules.All.FirstOrDefault(r => r.Id == rule || r.Key == rule) is { } loaded)
        {
            if (!rules.ByKey.ContainsKey(loaded.Key))
            {
                errors.Add("rule", $"rule '{rule}' is disabled");
                return null;
            }

            var definition = rules.RuleSet.Rules.Select(r => r.Definition).Concat(rules.RuleSet.Correlations.Select(c => c.Definition))
                .First(d => d.Key == loaded.Key);
            return (rules.RuleSet, loaded.Key, definition.Tests);
        }

        if (!rule.Contains('\n', StringComparison.Ordinal) && !rule.TrimStart().StartsWith('{'))
        {
            errors.Add("rule", "is neither the id of a loaded rule nor a Sigma rule (YAML of several lines, or a JSON object)");
            return null;
        }

        var file = SigmaRuleLoader.Load(rule, "rule");
        var problems = file.Errors;
        if (file.Succeeded && file.ReportedRuleKey is { } key)
        {
            try
            {
                var ruleSet = SigmaRuleLoader.CreateRuleSet([file]);
                return (ruleSet, key, [.. file.TestedRules.Where(d => d.Key == key).SelectMany(d => d.Tests)]);
            }
            catch (SigmaRuleException ex)
            {
                problems = ex.Errors;
            }
        }

        if (file.Succeeded && problems.Count == 0)
        {
            errors.Add("rule", "holds no Sigma detection or correlation rule");
        }

        foreach (var error in problems)
        {
            errors.Add("rule", error.Describe());
        }

        return null;
    }
}

/// <summary>A rule test: the rule and the events to run it on.</summary>
/// <param name="Rule">A Sigma rule as YAML (a correlation with its base rules), or the id of a loaded rule.</param>
/// <param name="Events">The events, in order (JSON objects: CloudTrail records, flow records, application logs).</param>
public sealed record RuleTestRequest(string? Rule, IReadOnlyList<JsonElement>? Events);

/// <summary>What the rule made of the events.</summary>
/// <param name="RuleId">The rule run (its id, else name, else title).</param>
/// <param name="Findings">How many findings detection would raise: one per matching event, or per correlation group that fired.</param>
/// <param name="Events">Per event, in the order given.</param>
/// <param name="Tests">The rule's own test cases and whether they pass.</param>
public sealed record RuleTestResponse(string RuleId, int Findings, IReadOnlyList<RuleTestEventResult> Events, IReadOnlyList<RuleTestCaseResult> Tests);

/// <summary>One event's verdict.</summary>
/// <param name="Index">Its position in the request.</param>
/// <param name="Matched">Whether the rule matched it (a correlation: fired on it).</param>
/// <param name="Rules">The rules involved (the rule, or a correlation's base rules) that matched, with the selections that held.</param>
public sealed record RuleTestEventResult(int Index, bool Matched, IReadOnlyList<RuleTestRuleMatch> Rules);

/// <summary>A rule involved in an event's verdict.</summary>
/// <param name="RuleId">Its id (else name, else title).</param>
/// <param name="Title">Its title.</param>
/// <param name="Matched">Whether it matched (the rule tested is also listed when it did not, if some selections held: why not).</param>
/// <param name="Selections">The search identifiers that held, by name (an override's as <c>&lt;override id&gt;/&lt;name&gt;</c>).</param>
public sealed record RuleTestRuleMatch(string RuleId, string Title, bool Matched, IReadOnlyList<string> Selections);

/// <summary>One of the rule's own test cases.</summary>
/// <param name="Name">The case's name.</param>
/// <param name="Passed">Whether the rule did what the case expects.</param>
/// <param name="Expected">match, no-match or a number of findings.</param>
/// <param name="Findings">The findings the case's events raised.</param>
public sealed record RuleTestCaseResult(string Name, bool Passed, string Expected, int Findings);
