namespace Platform.Sigma.Tests;

public class SigmaHQ_CloudTrail_rules
{
    [Fact]
    public void All_57_rules_load_and_compile_without_errors()
    {
        var files = SigmaRuleLoader.LoadDirectory(SharedData.RulesDirectory);

        Assert.Equal(57, files.Count);
        Assert.All(files, file => Assert.True(file.Succeeded, string.Join("\n", file.Errors)));
        Assert.Equal(57, files.Sum(f => f.Rules.Count));
    }

    [Fact]
    public void Build_one_rule_set_indexed_for_CloudTrail()
    {
        var ruleSet = SigmaRuleLoader.CreateRuleSet(SigmaRuleLoader.LoadDirectory(SharedData.RulesDirectory));

        Assert.Equal(57, ruleSet.Rules.Count);
        Assert.All(ruleSet.Rules, rule => Assert.True(rule.LogSource.Covers(SigmaLogSources.CloudTrail)));
    }
}
