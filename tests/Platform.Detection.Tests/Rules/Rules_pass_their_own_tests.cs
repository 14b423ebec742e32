using Platform.Sigma.Testing;

namespace Platform.Detection.Tests.Rules;

/// <summary>
/// Every test case a built-in rule or an override carries passes, one theory case per rule test (so a failure
/// names the file, the rule and the case); and every built-in rule is tested for what it must not match.
/// </summary>
public class Rules_pass_their_own_tests
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var file in RuleHarness.BuiltinFiles)
        {
            foreach (var rule in file.TestedRules)
            {
                foreach (var testCase in rule.Tests)
                {
                    data.Add(Path.GetFileName(file.Path), rule.Key, testCase.Name);
                }
            }
        }

        foreach (var file in RuleHarness.OverrideFiles)
        {
            foreach (var filter in file.Filters)
            {
                foreach (var testCase in filter.Definition.Tests)
                {
                    data.Add(Path.GetFileName(file.Path), testCase.Rule ?? filter.Rules[0], testCase.Name);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_rule_does_what_its_test_case_says(string file, string rule, string testCase)
    {
        // Against everything shipped: a built-in correlation may count SigmaHQ's rules (signals).
        var tests = file.StartsWith("mf_", StringComparison.Ordinal)
            ? RuleHarness.OverrideFiles.Single(f => Path.GetFileName(f.Path) == file).Filters.SelectMany(f => f.Definition.Tests)
            : RuleHarness.BuiltinFiles.Single(f => Path.GetFileName(f.Path) == file).TestedRules.Single(r => r.Key == rule).Tests;
        var selected = tests.Single(t => t.Name == testCase);

        var result = Assert.Single(await SigmaRuleTestRunner.RunAsync(RuleHarness.Shipped, rule, [selected]));

        Assert.True(result.Passed, $"{file}, rule {rule}: {result.Describe()}");
    }

    [Fact]
    public void Every_built_in_rule_carries_cases_it_must_match_and_cases_it_must_not()
    {
        foreach (var file in RuleHarness.BuiltinFiles)
        {
            var name = Path.GetFileName(file.Path);
            var tests = file.TestedRules.SelectMany(r => r.Tests).ToList();
            Assert.True(tests.Any(t => t.Expect.ExpectsMatch), $"{name} has no case it must match");
            Assert.True(tests.Any(t => !t.Expect.ExpectsMatch), $"{name} has no case it must not match");
        }
    }

    [Fact]
    public void Every_built_in_rule_about_a_successful_action_is_tested_on_a_failed_call()
    {
        // CloudTrail records say whether the call failed (errorCode); flow records have no such thing.
        foreach (var file in RuleHarness.BuiltinFiles.Where(f =>
                     !RuleHarness.RulesAboutAttempts.Contains(Path.GetFileName(f.Path)) && f.Rules.All(r => r.LogSource == SigmaLogSources.CloudTrail)))
        {
            var tests = file.TestedRules.SelectMany(r => r.Tests);
            Assert.True(
                tests.Any(t => !t.Expect.ExpectsMatch && t.Events.Any(e => e.TryGetProperty("errorCode", out _))),
                $"{Path.GetFileName(file.Path)} has no case showing that a failed call does not match");
        }
    }

    [Fact]
    public void The_overrides_name_only_rules_that_exist_and_make_the_assumed_role_rule_a_signal()
    {
        var filtered = RuleHarness.Filtered;

        Assert.All(RuleHarness.OverrideFiles, f => Assert.Empty(f.Errors));
        Assert.Empty(filtered.Errors);
        Assert.Empty(filtered.DisabledKeys);
        Assert.Contains(RuleHarness.Shipped.Rules, r => r.Key == RuleIds.SigmaHqAssumeRoleMisuse);
        Assert.Contains(RuleIds.SigmaHqAssumeRoleMisuse, RuleHarness.Signals);
        Assert.True(RuleHarness.Shipped.GeneratesResults(RuleIds.SigmaHqAssumeRoleMisuse), "a correlation over a signal must not silence it");
    }
}
