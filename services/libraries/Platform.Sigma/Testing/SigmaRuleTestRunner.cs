using Platform.Sigma.Correlation;

namespace Platform.Sigma.Testing;

/// <summary>
/// Replays events through a rule set the way the detection service does (the set's indexed evaluation, then its
/// correlations over a fresh in-memory window store) and reports, for one rule, which events it matched, why (the
/// selections that held) and how many findings it would raise. Runs a rule's own test cases, provisioning's check
/// of a custom rule, and the detection API's rule test.
/// </summary>
public static class SigmaRuleTestRunner
{
    /// <summary>When an event has no <c>eventTime</c>, events are this far apart, starting at <see cref="s_start"/>.</summary>
    private static readonly TimeSpan s_spacing = TimeSpan.FromSeconds(1);

    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Runs each case against the rule with this key (id, else name, else title) in the set.</summary>
    public static async Task<IReadOnlyList<SigmaRuleTestResult>> RunAsync(
        SigmaRuleSet ruleSet, string ruleKey, IEnumerable<SigmaRuleTestCase> cases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var results = new List<SigmaRuleTestResult>();
        foreach (var testCase in cases)
        {
            var key = testCase.Rule ?? ruleKey;
            var evaluation = await EvaluateAsync(ruleSet, key, testCase.Events, cancellationToken);
            results.Add(new SigmaRuleTestResult(key, testCase, evaluation, testCase.Expect.IsMetBy(evaluation.Findings)));
        }

        return results;
    }

    /// <summary>Runs the test cases of every rule of the files that carries some, the files' rules forming one set.</summary>
    /// <exception cref="SigmaRuleException">The files do not build a rule set.</exception>
    public static Task<IReadOnlyList<SigmaRuleTestResult>> RunFileTestsAsync(IReadOnlyList<SigmaRuleFile> files, CancellationToken cancellationToken = default) =>
        RunTestsAsync(SigmaRuleLoader.CreateRuleSet(files), files, cancellationToken);

    /// <summary>
    /// Runs, against <paramref name="ruleSet"/>, the test cases the files carry: each rule's own, and each filter's
    /// (against the rule the case names, else the filter's first rule).
    /// </summary>
    public static async Task<IReadOnlyList<SigmaRuleTestResult>> RunTestsAsync(
        SigmaRuleSet ruleSet, IEnumerable<SigmaRuleFile> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var results = new List<SigmaRuleTestResult>();
        foreach (var file in files)
        {
            foreach (var rule in file.TestedRules)
            {
                results.AddRange(await RunAsync(ruleSet, rule.Key, rule.Tests, cancellationToken));
            }

            foreach (var filter in file.Filters.Where(f => f.Definition.Tests.Count > 0))
            {
                results.AddRange(await RunAsync(ruleSet, filter.Rules[0], filter.Definition.Tests, cancellationToken));
            }
        }

        return results;
    }

    /// <summary>Replays the events, in order, and reports what the rule with this key made of each.</summary>
    /// <exception cref="ArgumentException">The set has no rule with this key.</exception>
    public static async Task<SigmaRuleEvaluation> EvaluateAsync(
        SigmaRuleSet ruleSet, string ruleKey, IReadOnlyList<JsonElement> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        ArgumentNullException.ThrowIfNull(events);
        var correlation = ruleSet.Correlations.FirstOrDefault(c => c.Key == ruleKey);
        var detection = ruleSet.Rules.FirstOrDefault(r => r.Key == ruleKey);
        if (correlation is null && detection is null)
        {
            throw new ArgumentException($"the rule set has no rule '{ruleKey}'", nameof(ruleKey));
        }

        var involved = InvolvedRuleKeys(ruleSet, ruleKey);
        var logSources = ruleSet.Rules.Where(r => involved.Contains(r.Key)).Select(r => r.LogSource).Distinct().ToList();
        var evaluator = new CorrelationEvaluator(ruleSet, new InMemoryCorrelationWindowStore());
        var verdicts = new List<SigmaEventVerdict>(events.Count);
        var groups = new HashSet<string>(StringComparer.Ordinal);
        var matched = new List<SigmaRule>();
        for (var i = 0; i < events.Count; i++)
        {
            var document = events[i];
            var time = TimeOf(document) ?? s_start + (s_spacing * i);
            var eventId = $"event-{i}";
            var rules = new List<SigmaRule>();
            foreach (var logSource in logSources)
            {
                matched.Clear();
                ruleSet.Evaluate(new SigmaEvent(document, logSource), matched);
                rules.AddRange(matched.Where(r => involved.Contains(r.Key) && !rules.Contains(r)));
            }

            var fired = false;
            foreach (var rule in rules)
            {
                foreach (var result in await evaluator.ObserveAsync(rule, document, time, eventId, cancellationToken))
                {
                    if (result.Rule.Key == ruleKey)
                    {
                        fired |= result.TriggeringEventId == eventId;
                        groups.Add(result.GroupKey);
                    }
                }
            }

            var isMatch = correlation is null ? rules.Any(r => r.Key == ruleKey) : fired;
            var explanations = rules.Select(r => new SigmaRuleExplanation(r.Key, r.Title, true, r.SelectionsHolding(document))).ToList();
            if (detection is not null && !isMatch && detection.SelectionsHolding(document) is { Count: > 0 } held)
            {
                // Why not: the parts of the condition that held (a filter such as 'failed' among them).
                explanations.Add(new SigmaRuleExplanation(detection.Key, detection.Title, false, held));
            }

            verdicts.Add(new SigmaEventVerdict(i, isMatch, explanations));
        }

        var findings = correlation is null ? verdicts.Count(v => v.Matched) : groups.Count;
        return new SigmaRuleEvaluation(ruleKey, verdicts, findings);
    }

    /// <summary>The rule itself and, for a correlation, every rule and correlation it counts (transitively).</summary>
    private static HashSet<string> InvolvedRuleKeys(SigmaRuleSet ruleSet, string ruleKey)
    {
        var byKey = ruleSet.Correlations.ToDictionary(c => c.Key, StringComparer.Ordinal);
        var involved = new HashSet<string>(StringComparer.Ordinal) { ruleKey };
        var pending = new Stack<string>([ruleKey]);
        while (pending.TryPop(out var key))
        {
            if (byKey.TryGetValue(key, out var correlation))
            {
                foreach (var referenced in correlation.ReferencedKeys.Where(involved.Add))
                {
                    pending.Push(referenced);
                }
            }
        }

        return involved;
    }

    /// <summary>
    /// The event's own time: CloudTrail's <c>eventTime</c>, an application log's <c>timestamp</c> (ISO 8601), or a
    /// flow record's <c>start</c> (epoch seconds).
    /// </summary>
    private static DateTimeOffset? TimeOf(JsonElement document)
    {
        if (document.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var name in (ReadOnlySpan<string>)["eventTime", "timestamp"])
        {
            if (document.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(text.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return parsed;
            }
        }

        return document.TryGetProperty("start", out var start) && start.TryGetInt64(out var seconds) && seconds is > 0 and < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
    }
}

/// <summary>One test case's outcome: what the rule made of its events and whether that is what the case expects.</summary>
public sealed record SigmaRuleTestResult(string RuleKey, SigmaRuleTestCase Case, SigmaRuleEvaluation Evaluation, bool Passed)
{
    /// <summary>"case 'x' expects match, got 0 findings", for errors and test output.</summary>
    public string Describe() =>
        $"test case '{Case.Name}' (line {Case.Line}) expects {Case.Expect}, got {Evaluation.Findings} finding{(Evaluation.Findings == 1 ? "" : "s")}";
}

/// <summary>What a rule made of a sequence of events: a verdict per event and the findings it would raise.</summary>
public sealed record SigmaRuleEvaluation(string RuleKey, IReadOnlyList<SigmaEventVerdict> Events, int Findings);

/// <summary>
/// One event's verdict: whether the rule matched it (for a correlation: fired on it), and which of the rules
/// involved (the rule, or a correlation's base rules) matched, with the selections that held; a detection rule
/// that did not match is listed (not matched) when some of its selections held.
/// </summary>
public sealed record SigmaEventVerdict(int Index, bool Matched, IReadOnlyList<SigmaRuleExplanation> Rules);

/// <summary>A rule, whether it matched the event, and the search identifiers that held.</summary>
public sealed record SigmaRuleExplanation(string RuleKey, string Title, bool Matched, IReadOnlyList<string> Selections);
