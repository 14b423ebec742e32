using Platform.Detection.Tests.Rules;

namespace Platform.Detection.Tests;

/// <summary>GET /v1/coverage lists the ATT&amp;CK techniques the enabled, reporting rules cover, with their tactics and rules.</summary>
[Collection(DetectionCollection.Name)]
public sealed class Technique_coverage(DetectionHost detection)
{
    // System Language Discovery: no shipped rule is tagged with it, so only the test's custom rule covers it.
    private const string UnshippedTechnique = "T1614.001";

    [Fact]
    public async Task A_provisioned_rule_covers_its_technique_until_it_is_disabled()
    {
        var ruleId = Guid.NewGuid().ToString();
        var name = TestNames.Unique("coverage");
        var yaml = CustomRule(ruleId, "Probe" + Guid.NewGuid().ToString("N")[..8]);

        await detection.ProvisionRuleAsync(name, yaml, ruleId);
        var covered = (await CoverageAsync()).Techniques.Single(t => t.Technique == UnshippedTechnique);
        Assert.Equal(["discovery"], covered.Tactics);
        var rule = Assert.Single(covered.Rules);
        Assert.Equal((ruleId, RuleOrigin.Custom, "high"), (rule.Id, rule.Origin, rule.Level));

        await detection.ProvisionRuleAsync(name, yaml, ruleId, version: 2, enabled: false);
        Assert.DoesNotContain((await CoverageAsync()).Techniques, t => t.Technique == UnshippedTechnique);
    }

    [Fact]
    public async Task Shipped_rules_cover_their_techniques_signals_included_but_not_as_building_blocks()
    {
        var coverage = await CoverageAsync();
        var rules = coverage.Techniques.SelectMany(t => t.Rules).Select(r => r.Id).ToHashSet();

        var exfiltration = coverage.Techniques.Single(t => t.Technique == "T1537");
        Assert.Contains("exfiltration", exfiltration.Tactics);
        Assert.Contains(exfiltration.Rules, r => r.Id == RuleIds.RdsSnapshotShared && r.Origin == RuleOrigin.Builtin);
        Assert.Contains(coverage.Techniques, t => t.Technique == "T1098.003");
        // SigmaHQ's AssumeRole misuse is a signal by default (kept, not paged): it still detects, so it covers its techniques.
        Assert.Contains(RuleIds.SigmaHqAssumeRoleMisuse, rules);
        // The failed-call building block is counted by its burst correlation, which covers T1580 instead.
        Assert.DoesNotContain(RuleIds.ApiCallFailedBuildingBlock, rules);
        Assert.Contains(coverage.Techniques.Single(t => t.Technique == "T1580").Rules, r => r.Id == RuleIds.FailedApiCallBurst);
        Assert.Equal(coverage.Techniques.OrderBy(t => t.Technique, StringComparer.Ordinal).Select(t => t.Technique), coverage.Techniques.Select(t => t.Technique));
    }

    [Fact]
    public async Task An_ingest_key_may_not_read_the_coverage()
    {
        using var client = detection.Host.CreateClient(DetectionHost.IngestKey);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/v1/coverage")).StatusCode);
    }

    private async Task<CoverageReport> CoverageAsync()
    {
        using var client = detection.Host.CreateClient(DetectionHost.AnalystKey);
        return (await client.GetFromJsonAsync<CoverageReport>("/v1/coverage", PlatformJson.Options))!;
    }

    private static string CustomRule(string id, string eventName) => $"""
        title: Probe {eventName}
        id: {id}
        description: A custom rule tagged with a technique no shipped rule covers.
        level: high
        tags:
            - attack.discovery
            - attack.t1614.001
        logsource:
            product: aws
            service: cloudtrail
        detection:
            selection:
                eventName: {eventName}
            condition: selection
        """;
}
