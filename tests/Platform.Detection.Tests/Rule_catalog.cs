namespace Platform.Detection.Tests;

/// <summary>The shipped rules load from the app's base directory and are listed with their origin.</summary>
[Collection(DetectionCollection.Name)]
public sealed class Rule_catalog(DetectionHost detection)
{
    [Fact]
    public async Task Every_SigmaHQ_rule_loads_with_origin_sigmahq_and_the_overrides_without_errors()
    {
        var rules = await detection.Client.GetFromJsonAsync<RuleList>("/v1/rules", PlatformJson.Options);

        var sigmaHq = rules!.Items.Where(r => r.Origin == RuleOrigin.Sigmahq).ToList();
        Assert.Equal(57, sigmaHq.Count);
        // The overrides make SigmaHQ's AssumeRole misuse rule (it matches every assumed-role call) a signal, not an alert.
        Assert.All(sigmaHq, r => Assert.True(r.Enabled, r.Id));
        Assert.Equal(FindingDisposition.Signal, sigmaHq.Single(r => r.Id == "905d389b-b853-46d0-9d3d-dea0d3a3cd49").Disposition);
        Assert.DoesNotContain(rules.Errors, e => e.Origin is RuleOrigin.Sigmahq or RuleOrigin.Override);
        var backdoor = sigmaHq.Single(r => r.Id == Raising_findings.BackdoorKeysRuleId);
        Assert.Equal("medium", backdoor.Level);
        Assert.Contains("attack.t1098", backdoor.Tags);
    }

    [Fact]
    public async Task Built_in_rules_load_with_origin_builtin_and_without_errors()
    {
        var rules = await detection.Client.GetFromJsonAsync<RuleList>("/v1/rules", PlatformJson.Options);

        Assert.Contains(rules!.Items, r => r.Origin == RuleOrigin.Builtin);
        Assert.DoesNotContain(rules.Errors, e => e.Origin == RuleOrigin.Builtin);
    }
}
