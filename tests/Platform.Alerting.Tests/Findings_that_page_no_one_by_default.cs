using Platform.Contracts.Detection;

namespace Platform.Alerting.Tests;

/// <summary>
/// Findings that page no one by default. A retro-hunt's findings are history: in EventBridge's envelope they come from
/// <c>platform.retro-hunt</c>, and only rules whose pattern names that source get them. A signal (a finding of a
/// low-fidelity rule) reaches only rules whose pattern names <c>detail.disposition</c>; alerts reach every rule for findings.
/// </summary>
[Collection(EventRulesCollection.Name)]
public sealed class Findings_that_page_no_one_by_default(EventRulesHost host)
{
    [Fact]
    public async Task A_retro_hunt_finding_reaches_only_a_rule_that_names_its_source()
    {
        var ruleId = Unique("hunted-rule");
        var (live, anySource, hunts) = await ProvisionRulesAsync(ruleId,
            $$$"""{"source": ["platform.retro-hunt"], "detail-type": ["Retro-Hunt Finding Raised"], "detail": {"ruleId": ["{{{ruleId}}}"]}}""");

        var huntId = Guid.NewGuid();
        await host.PublishAsync(Finding(ruleId, FindingOrigin.OfHunt(huntId), FindingDisposition.Alert));
        var delivered = Assert.Single(await host.ScheduledAsync(hunts, 1)).Message.Body;
        Assert.Equal("platform.retro-hunt", delivered["source"]!.GetValue<string>());
        Assert.Equal("Retro-Hunt Finding Raised", delivered["detail-type"]!.GetValue<string>());
        Assert.Equal(huntId.ToString(), delivered["detail"]!["origin"]!["huntId"]!.GetValue<string>());

        // A live finding of the same rule, published after, reaches the other two: they were listening all along.
        await host.PublishAsync(Finding(ruleId, null, FindingDisposition.Alert));
        Assert.Single(await host.ScheduledAsync(live, 1));
        Assert.Single(await host.ScheduledAsync(anySource, 1));
        Assert.Single(host.Scheduled(hunts));
    }

    [Fact]
    public async Task A_signal_reaches_only_a_rule_that_asks_for_signals_and_an_alert_reaches_every_rule()
    {
        var ruleId = Unique("signal-rule");
        var (findings, anySource, signals) = await ProvisionRulesAsync(ruleId,
            $$$"""{"source": ["platform.detection"], "detail": {"ruleId": ["{{{ruleId}}}"], "disposition": ["signal"]}}""");

        await host.PublishAsync(Finding(ruleId, null, FindingDisposition.Signal));
        var delivered = Assert.Single(await host.ScheduledAsync(signals, 1)).Message.Body;
        Assert.Equal("signal", delivered["detail"]!["disposition"]!.GetValue<string>());

        // An alert of the same rule, published after, reaches the rules for findings: they were listening all along.
        await host.PublishAsync(Finding(ruleId, null, FindingDisposition.Alert));
        Assert.Equal("alert", Assert.Single(await host.ScheduledAsync(findings, 1)).Message.Body["detail"]!["disposition"]!.GetValue<string>());
        Assert.Single(await host.ScheduledAsync(anySource, 1));
        Assert.Single(host.Scheduled(signals));
    }

    /// <summary>
    /// Provisions three rules for <paramref name="ruleId"/>'s findings: one for live findings (source
    /// <c>platform.detection</c>), one naming no source, and one with <paramref name="askingPattern"/>, which asks for
    /// findings that page no one by default.
    /// </summary>
    private async Task<(string Live, string AnySource, string Asking)> ProvisionRulesAsync(string ruleId, string askingPattern)
    {
        var (live, anySource, asking) = (Unique("live-findings"), Unique("any-source"), Unique("asking"));
        await host.ProvisionAsync(live, $$$"""{"source": ["platform.detection"], "detail": {"ruleId": ["{{{ruleId}}}"]}}""", [new EventRuleTarget("t", "live-topic")]);
        await host.ProvisionAsync(anySource, $$$"""{"detail": {"ruleId": ["{{{ruleId}}}"]}}""", [new EventRuleTarget("t", "any-topic")]);
        await host.ProvisionAsync(asking, askingPattern, [new EventRuleTarget("t", "asking-topic")]);
        return (live, anySource, asking);
    }

    private static FindingRaised Finding(string ruleId, FindingOrigin? origin, FindingDisposition disposition) => new(
        Guid.NewGuid(), ruleId, "A finding", null, FindingSeverity.High, FindingStatus.Open, 1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
        "123456789012", "us-east-1", "root", ["203.0.113.9"], [], [], [], [], 1, origin, disposition);
}
