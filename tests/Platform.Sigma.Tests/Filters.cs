namespace Platform.Sigma.Tests;

/// <summary>Sigma filters (the platform's overrides) join their condition to the rules they name, or switch them off.</summary>
public class Filters
{
    private const string Rule = """
        title: Trail Stopped
        id: 4db60cc0-0000-4000-8000-000000000001
        logsource:
            product: aws
            service: cloudtrail
        detection:
            selection:
                eventName: StopLogging
            condition: selection
        """;

    private static SigmaRuleFile Filter(string body) => SigmaRuleLoader.Load($"""
        title: Successful Calls Only
        id: mf-successful
        logsource:
            product: aws
            service: cloudtrail
        {body}
        """, "mf.yml");

    [Fact]
    public void A_filter_condition_is_joined_to_the_rule_with_and()
    {
        var filter = Filter("""
            filter:
                rules:
                    - 4db60cc0-0000-4000-8000-000000000001
                failed:
                    errorCode|exists: true
                condition: not failed
            """);
        Assert.Empty(filter.Errors);

        var applied = SigmaRuleLoader.ApplyFilters([SigmaRuleLoader.Load(Rule, "rule.yml")], filter.Filters);
        var rule = Assert.Single(applied.Files.Single().Rules);

        Assert.Empty(applied.Errors);
        Assert.True(rule.Matches("""{"eventName":"StopLogging"}"""));
        Assert.False(rule.Matches("""{"eventName":"StopLogging","errorCode":"AccessDenied"}"""));
        Assert.Equal(["selection", "mf-successful/failed"], rule.SelectionsHolding(Sigma.Json("""{"eventName":"StopLogging","errorCode":"AccessDenied"}""")));
    }

    [Fact]
    public void A_disabling_filter_needs_no_selection_and_lists_the_rule_as_disabled()
    {
        var filter = Filter("""
            disabled: true
            filter:
                rules:
                    - Trail Stopped
            """);

        var applied = SigmaRuleLoader.ApplyFilters([SigmaRuleLoader.Load(Rule, "rule.yml")], filter.Filters);

        Assert.Empty(filter.Errors);
        Assert.Equal(["4db60cc0-0000-4000-8000-000000000001"], applied.DisabledKeys);
    }

    [Fact]
    public void A_filter_naming_no_loaded_rule_is_an_error_rather_than_silently_doing_nothing()
    {
        var filter = Filter("""
            filter:
                rules:
                    - no-such-rule
                sel:
                    errorCode|exists: true
                condition: not sel
            """);

        var applied = SigmaRuleLoader.ApplyFilters([SigmaRuleLoader.Load(Rule, "rule.yml")], filter.Filters);

        Assert.Contains("names no loaded rule (no-such-rule)", Assert.Single(applied.Errors).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("filter:\n    sel:\n        a: b\n    condition: sel\n", "filter 'rules' is missing")]
    [InlineData("filter:\n    rules: [x]\n", "'detection' has no 'condition'")]
    [InlineData("filter:\n    rules: [x]\n    condition: not missing\n", "missing")]
    public void A_malformed_filter_is_a_load_error(string body, string reason)
    {
        var file = Filter(body);

        Assert.Contains(file.Errors, e => e.Reason.Contains(reason, StringComparison.Ordinal));
    }
}
