namespace Platform.Sigma.Tests;

/// <summary>
/// Rules built to exhaust the engine are rule errors naming the limit. Checked on a 256 KB stack: no parser or
/// compiler recursion is left that a deep rule could overflow (an overflow cannot be caught; it ends the process).
/// </summary>
public class Hostile_rules
{
    private const int SmallStack = 256 * 1024;

    /// <summary>The errors of loading <paramref name="yaml"/>, on a thread with a small stack.</summary>
    private static IReadOnlyList<SigmaRuleError> ErrorsOnASmallStack(string yaml)
    {
        IReadOnlyList<SigmaRuleError> errors = [];
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    errors = SigmaRuleLoader.Load(yaml, "hostile.yml").Errors;
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            },
            SmallStack);
        thread.Start();
        thread.Join();
        Assert.Null(failure);
        return errors;
    }

    private static string RuleWith(string condition, string selection = "eventName: X") =>
        Sigma.RuleYaml($"sel:\n    {selection}\ncondition: {condition}");

    [Fact]
    public void A_condition_of_100000_nots_is_an_error_naming_the_limit()
    {
        var error = Assert.Single(ErrorsOnASmallStack(RuleWith(string.Concat(Enumerable.Repeat("not ", 100_000)) + "sel")));

        Assert.Contains("condition nests deeper than 64 levels", error.Reason);
        Assert.True(error.Reason.Length < 300, "the reason quotes the whole condition");
    }

    [Fact]
    public void A_condition_of_100000_nested_parentheses_is_an_error_naming_the_limit()
    {
        var error = Assert.Single(ErrorsOnASmallStack(RuleWith(new string('(', 100_000) + "sel" + new string(')', 100_000))));

        Assert.Contains("condition nests deeper than 64 levels", error.Reason);
    }

    [Fact]
    public void A_condition_64_levels_deep_still_compiles()
    {
        var rule = Sigma.Rule($"sel:\n    eventName: X\ncondition: {string.Concat(Enumerable.Repeat("not (", 32))}sel{new string(')', 32)}");

        Assert.True(rule.Matches("""{"eventName":"X"}"""));
    }

    [Fact]
    public void A_detection_nested_100000_levels_deep_is_an_error_naming_the_limit()
    {
        var error = Assert.Single(ErrorsOnASmallStack(RuleWith("sel", "eventName: " + new string('[', 100_000) + new string(']', 100_000))));

        Assert.Contains("nests deeper than 64 levels", error.Reason);
    }

    [Fact]
    public void A_field_path_of_2000_parts_is_an_error_naming_the_limit()
    {
        // An explicit key ('? '): YAML limits implicit keys to 1024 characters.
        var error = Assert.Single(ErrorsOnASmallStack(RuleWith("sel", "? " + string.Join('.', Enumerable.Repeat("a", 2_000)) + "\n    : X")));

        Assert.Contains("more than 64 dot-separated parts", error.Reason);
    }

    [Fact]
    public void Aliases_that_expand_past_the_budget_are_an_error_without_being_expanded()
    {
        var laughs = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + string.Concat(
            "bcdefgh".Select(level => $"{level}: &{level} [{string.Join(',', Enumerable.Repeat("*" + (char)(level - 1), 9))}]\n"));

        var error = Assert.Single(ErrorsOnASmallStack(laughs + RuleWith("sel", "eventName: *h")));

        Assert.Contains("more than 100000 nodes", error.Reason);
    }

    [Fact]
    public void An_alias_inside_its_own_anchor_is_an_error()
    {
        var error = Assert.Single(SigmaRuleParser.Parse(RuleWith("sel", "eventName: &loop [*loop]")).Errors);

        Assert.Contains("refers to no anchor completed before it", error.Reason);
    }

    [Fact]
    public void Aliases_within_the_budget_still_load()
    {
        var rule = Sigma.Rule("sel:\n    eventName: &names [CreateUser, DeleteUser]\nother:\n    eventSource: *names\ncondition: sel or other");

        Assert.True(rule.Matches("""{"eventName":"DeleteUser"}"""));
    }
}
