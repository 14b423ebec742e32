namespace Platform.Sigma.Tests;

/// <summary>Runs application-log events through a rule set and its correlations with an in-memory store.</summary>
internal sealed class CorrelationHarness
{
    public static readonly DateTimeOffset T0 = new(2024, 8, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly CorrelationEvaluator _evaluator;
    private int _nextId;

    public CorrelationHarness(string yaml)
    {
        RuleSet = SigmaRuleSet.Create(SigmaRuleParser.ParseOrThrow(yaml));
        _evaluator = new CorrelationEvaluator(RuleSet, new InMemoryCorrelationWindowStore());
    }

    public SigmaRuleSet RuleSet { get; }

    public async Task<List<SigmaCorrelationResult>> Send(string json, TimeSpan at, string? eventId = null)
    {
        var document = JsonDocument.Parse(json).RootElement;
        var results = new List<SigmaCorrelationResult>();
        foreach (var rule in RuleSet.Evaluate(new SigmaEvent(document, SigmaLogSources.Application)))
        {
            results.AddRange(await _evaluator.ObserveAsync(rule, document, T0 + at, eventId ?? $"e{++_nextId}"));
        }

        return results;
    }

    public const string FailedLogin = """
        title: Failed login
        id: 5638f7c0-ac70-491d-8465-2a65075e0d86
        name: failed_login
        logsource:
            product: aws
            service: application
        detection:
            selection:
                eventType: LOGIN
                status: FAILED
            condition: selection
        """;

    public const string SuccessfulLogin = """
        title: Successful login
        name: successful_login
        logsource:
            product: aws
            service: application
        detection:
            selection:
                eventType: LOGIN
                status: SUCCESS
            condition: selection
        """;

    public static string Failed(string ip, string user = "bob") => $$"""{"eventType":"LOGIN","status":"FAILED","sourceIP":"{{ip}}","user":"{{user}}"}""";

    public static string Succeeded(string ip, string user = "bob") => $$"""{"eventType":"LOGIN","status":"SUCCESS","sourceIP":"{{ip}}","user":"{{user}}"}""";
}

public class Event_count_correlation
{
    private static CorrelationHarness Harness(string condition = "gte: 3", string generate = "false") => new($"""
        title: Brute force
        id: brute-force
        correlation:
            type: event_count
            rules:
                - failed_login
            group-by:
                - sourceIP
            timespan: 5m
            condition:
                {condition}
            generate: {generate}
        level: high
        ---
        {CorrelationHarness.FailedLogin}
        """);

    [Fact]
    public async Task Fires_at_exactly_the_threshold()
    {
        var harness = Harness();

        Assert.Empty(await harness.Send(CorrelationHarness.Failed("1.2.3.4"), TimeSpan.Zero));
        Assert.Empty(await harness.Send(CorrelationHarness.Failed("1.2.3.4"), TimeSpan.FromMinutes(1)));
        var result = Assert.Single(await harness.Send(CorrelationHarness.Failed("1.2.3.4"), TimeSpan.FromMinutes(2), "third"));

        Assert.Equal(3, result.Value);
        Assert.Equal(3, result.EventCount);
        Assert.Equal([new("sourceIP", "1.2.3.4")], result.Group);
        Assert.Equal(CorrelationHarness.T0, result.WindowStart);
        Assert.Equal(CorrelationHarness.T0.AddMinutes(2), result.WindowEnd);
        Assert.Equal(["e1", "e2", "third"], result.EventIds);
        Assert.Equal("third", result.TriggeringEventId);
        Assert.True(result.IsReported);
    }

    [Fact]
    public async Task Does_not_fire_just_below_the_threshold()
    {
        var harness = Harness();

        Assert.Empty(await harness.Send(CorrelationHarness.Failed("1.2.3.4"), TimeSpan.Zero));
        Assert.Empty(await harness.Send(CorrelationHarness.Failed("1.2.3.4"), TimeSpan.FromMinutes(4)));
    }

    [Fact]
    public async Task Counts_each_group_separately()
    {
        var harness = Harness();

        await harness.Send(CorrelationHarness.Failed("1.2.3.4"), TimeSpan.Zero);
        await harness.Send(CorrelationHarness.Failed("5.6.7.8"), TimeSpan.FromSeconds(1));

        Assert.Empty(await harness.Send(CorrelationHarness.Failed("9.9.9.9"), TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task An_event_exactly_one_timespan_later_starts_a_new_window()
    {
        var harness = Harness();

        await harness.Send(CorrelationHarness.Failed("1.2.3.4"), TimeSpan.Zero);
        await harness.Send(CorrelationHarness.Failed("1.2.3.4"), TimeSpan.FromMinutes(1));

        Assert.Empty(await harness.Send(CorrelationHarness.Failed("1.2.3.4"), TimeSpan.FromMinutes(5)));
        Assert.Single(await harness.Send(CorrelationHarness.Failed("1.2.3.4"), TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_late_event_completes_the_window_it_belongs_to()
    {
        var harness = Harness();

        await harness.Send(CorrelationHarness.Failed("1.2.3.4"), TimeSpan.FromMinutes(10));
        await harness.Send(CorrelationHarness.Failed("1.2.3.4"), TimeSpan.FromMinutes(12));
        await harness.Send(CorrelationHarness.Failed("1.2.3.4"), TimeSpan.FromMinutes(30));

        // Arrives last, but happened between the first two.
        var result = Assert.Single(await harness.Send(CorrelationHarness.Failed("1.2.3.4"), TimeSpan.FromMinutes(11), "late"));

        Assert.Equal(CorrelationHarness.T0.AddMinutes(10), result.WindowStart);
        Assert.Equal(CorrelationHarness.T0.AddMinutes(12), result.WindowEnd);
        Assert.Equal("late", result.TriggeringEventId);
    }

    [Fact]
    public async Task A_redelivered_event_counts_once()
    {
        var harness = Harness();

        await harness.Send(CorrelationHarness.Failed("1.2.3.4"), TimeSpan.Zero, "same");
        await harness.Send(CorrelationHarness.Failed("1.2.3.4"), TimeSpan.Zero, "same");

        Assert.Empty(await harness.Send(CorrelationHarness.Failed("1.2.3.4"), TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Keeps_the_first_and_last_ten_event_ids_of_a_large_window()
    {
        var harness = Harness("gte: 25");
        List<SigmaCorrelationResult> results = [];
        for (var i = 0; i < 25; i++)
        {
            results = await harness.Send(CorrelationHarness.Failed("1.2.3.4"), TimeSpan.FromSeconds(i));
        }

        var result = Assert.Single(results);
        Assert.Equal(25, result.EventCount);
        Assert.Equal(20, result.EventIds.Count);
        Assert.Equal("e1", result.EventIds[0]);
        Assert.Equal("e25", result.EventIds[^1]);
    }

    [Fact]
    public void Base_rules_are_silent_unless_the_correlation_says_generate()
    {
        var silent = Harness();
        var generating = Harness(generate: "true");

        Assert.False(silent.RuleSet.GeneratesResults("5638f7c0-ac70-491d-8465-2a65075e0d86"));
        Assert.True(generating.RuleSet.GeneratesResults("5638f7c0-ac70-491d-8465-2a65075e0d86"));
        Assert.True(silent.RuleSet.GeneratesResults("brute-force"));
    }

    [Fact]
    public async Task A_range_condition_needs_both_bounds()
    {
        var harness = Harness("gt: 1\n        lte: 2");

        Assert.Empty(await harness.Send(CorrelationHarness.Failed("1.2.3.4"), TimeSpan.Zero));
        Assert.Single(await harness.Send(CorrelationHarness.Failed("1.2.3.4"), TimeSpan.FromSeconds(1)));
    }
}

public class Value_correlations
{
    private static CorrelationHarness Harness(string type, string field, string condition) => new($"""
        title: Value correlation
        correlation:
            type: {type}
            rules:
                - flow
            group-by:
                - srcaddr
            timespan: 1h
            condition:
                field: {field}
                {condition}
        ---
        title: Rejected flow
        name: flow
        logsource:
            product: aws
            service: application
        detection:
            selection:
                action: REJECT
            condition: selection
        """);

    private static string Flow(int port, long bytes) => $$"""{"srcaddr":"10.0.0.9","dstport":{{port}},"bytes":{{bytes}},"action":"REJECT"}""";

    [Fact]
    public async Task Value_count_counts_distinct_values()
    {
        var harness = Harness("value_count", "dstport", "gt: 2");

        Assert.Empty(await harness.Send(Flow(22, 1), TimeSpan.Zero));
        Assert.Empty(await harness.Send(Flow(22, 1), TimeSpan.FromMinutes(1)));
        Assert.Empty(await harness.Send(Flow(23, 1), TimeSpan.FromMinutes(2)));
        var result = Assert.Single(await harness.Send(Flow(80, 1), TimeSpan.FromMinutes(3)));
        Assert.Equal(3, result.Value);
    }

    [Fact]
    public async Task Value_sum_adds_the_field()
    {
        var harness = Harness("value_sum", "bytes", "gte: 1000");

        Assert.Empty(await harness.Send(Flow(443, 600), TimeSpan.Zero));
        Assert.Equal(1000, Assert.Single(await harness.Send(Flow(443, 400), TimeSpan.FromMinutes(59))).Value);
    }

    [Fact]
    public async Task Value_avg_averages_the_field()
    {
        var harness = Harness("value_avg", "bytes", "gt: 500");

        Assert.Empty(await harness.Send(Flow(443, 400), TimeSpan.Zero));
        Assert.Empty(await harness.Send(Flow(443, 600), TimeSpan.FromMinutes(1)));
        Assert.Equal(600, Assert.Single(await harness.Send(Flow(443, 800), TimeSpan.FromMinutes(2))).Value);
    }
}

public class Temporal_correlations
{
    private static CorrelationHarness Harness(string type) => new($"""
        title: Failed then succeeded
        correlation:
            type: {type}
            rules:
                - failed_login
                - successful_login
            group-by:
                - user
            timespan: 10m
        ---
        {CorrelationHarness.FailedLogin}
        ---
        {CorrelationHarness.SuccessfulLogin}
        """);

    [Fact]
    public async Task Temporal_fires_when_every_rule_matched_within_the_timespan_in_any_order()
    {
        var harness = Harness("temporal");

        Assert.Empty(await harness.Send(CorrelationHarness.Succeeded("1.1.1.1"), TimeSpan.Zero));
        var result = Assert.Single(await harness.Send(CorrelationHarness.Failed("2.2.2.2"), TimeSpan.FromMinutes(9)));
        Assert.Equal(2, result.Value);
    }

    [Fact]
    public async Task Temporal_ordered_needs_the_order_of_the_rules()
    {
        var harness = Harness("temporal_ordered");

        Assert.Empty(await harness.Send(CorrelationHarness.Succeeded("1.1.1.1"), TimeSpan.Zero));
        Assert.Empty(await harness.Send(CorrelationHarness.Failed("1.1.1.1"), TimeSpan.FromMinutes(1)));
        Assert.Single(await harness.Send(CorrelationHarness.Succeeded("1.1.1.1"), TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public async Task Temporal_ordered_accepts_a_late_event_that_belongs_before()
    {
        var harness = Harness("temporal_ordered");

        Assert.Empty(await harness.Send(CorrelationHarness.Succeeded("1.1.1.1"), TimeSpan.FromMinutes(5)));
        Assert.Single(await harness.Send(CorrelationHarness.Failed("1.1.1.1"), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Different_groups_do_not_combine()
    {
        var harness = Harness("temporal");

        await harness.Send(CorrelationHarness.Failed("1.1.1.1", "alice"), TimeSpan.Zero);

        Assert.Empty(await harness.Send(CorrelationHarness.Succeeded("1.1.1.1", "bob"), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Chained_correlations_follow_the_specification_example()
    {
        var harness = new CorrelationHarness($"""
            title: Many failed logins followed by a successful one
            correlation:
                type: temporal_ordered
                rules:
                    - many_failed
                    - successful_login
                group-by:
                    - user
                timespan: 10m
            ---
            title: Many failed logins
            name: many_failed
            correlation:
                type: event_count
                rules:
                    - failed_login
                group-by:
                    - user
                timespan: 10m
                condition:
                    gte: 3
            ---
            {CorrelationHarness.FailedLogin}
            ---
            {CorrelationHarness.SuccessfulLogin}
            """);

        for (var i = 0; i < 3; i++)
        {
            await harness.Send(CorrelationHarness.Failed("1.1.1.1"), TimeSpan.FromMinutes(i));
        }

        var results = await harness.Send(CorrelationHarness.Succeeded("1.1.1.1"), TimeSpan.FromMinutes(4));

        var outer = Assert.Single(results);
        Assert.Equal("Many failed logins followed by a successful one", outer.Rule.Title);
        Assert.True(outer.IsReported);
        Assert.False(harness.RuleSet.GeneratesResults("many_failed"));
    }

    [Fact]
    public async Task Aliases_group_different_fields_of_different_rules()
    {
        var harness = new CorrelationHarness($"""
            title: Same address both ways
            correlation:
                type: temporal
                rules:
                    - failed_login
                    - successful_login
                group-by:
                    - address
                timespan: 10m
                aliases:
                    address:
                        failed_login: sourceIP
                        successful_login: user
            ---
            {CorrelationHarness.FailedLogin}
            ---
            {CorrelationHarness.SuccessfulLogin}
            """);

        await harness.Send(CorrelationHarness.Failed("1.1.1.1"), TimeSpan.Zero);
        var result = Assert.Single(await harness.Send(CorrelationHarness.Succeeded("9.9.9.9", user: "1.1.1.1"), TimeSpan.FromMinutes(1)));

        Assert.Equal([new("address", "1.1.1.1")], result.Group);
    }
}

public class Correlation_rule_errors
{
    [Theory]
    [InlineData("type: value_percentile\n    rules: [a]\n    timespan: 5m\n    condition: {gte: 1}", "not supported")]
    [InlineData("type: event_count\n    rules: [a]\n    timespan: 5 minutes\n    condition: {gte: 1}", "invalid timespan")]
    [InlineData("type: event_count\n    rules: [a]\n    timespan: 5m", "needs a 'condition'")]
    [InlineData("type: value_count\n    rules: [a]\n    timespan: 5m\n    condition: {gte: 1}", "needs 'field'")]
    [InlineData("type: event_count\n    rules: [a]\n    timespan: 5m\n    condition: {above: 1}", "unknown correlation condition operator")]
    public void Invalid_correlation_sections_are_parse_errors(string section, string reason)
    {
        var result = SigmaRuleParser.Parse($"title: c\ncorrelation:\n    {section}\n");

        Assert.Contains(result.Errors, e => e.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void A_reference_to_an_unknown_rule_fails_the_rule_set()
    {
        var definitions = SigmaRuleParser.ParseOrThrow("title: c\ncorrelation:\n    type: event_count\n    rules: [missing]\n    timespan: 5m\n    condition: {gte: 1}\n");

        var error = Assert.Throws<SigmaRuleException>(() => SigmaRuleSet.Create(definitions));

        Assert.Contains("unknown rule 'missing'", error.Message);
    }

    [Theory]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("30s", 30)]
    [InlineData("1d", 86400)]
    public void Timespans_are_read_in_seconds_minutes_hours_and_days(string text, int seconds)
    {
        var rule = SigmaRuleParser.ParseOrThrow($"title: c\ncorrelation:\n    type: event_count\n    rules: [a]\n    timespan: {text}\n    condition: {{gte: 1}}\n").Single();

        Assert.Equal(TimeSpan.FromSeconds(seconds), rule.Correlation!.Timespan);
    }
}
