using Platform.Contracts.Detection;
using Platform.Contracts.Provisioning;
using Platform.Testing;

namespace Platform.Alerting.Tests;

/// <summary>
/// A retro-hunt's findings are history and page no one by default: in EventBridge's envelope they come from
/// <c>platform.retro-hunt</c>, and only rules whose pattern names that source get them.
/// </summary>
[Collection(EventRulesCollection.Name)]
public sealed class Delivering_retro_hunt_findings(EventRulesHost host)
{
    [Fact]
    public async Task A_retro_hunt_finding_reaches_only_a_rule_that_names_its_source()
    {
        var ruleId = Unique("hunted-rule");
        var live = Unique("live-findings");
        var anySource = Unique("any-source");
        var hunts = Unique("hunt-findings");
        await host.ProvisionAsync(live, $$$"""{"source": ["platform.detection"], "detail": {"ruleId": ["{{{ruleId}}}"]}}""", [new EventRuleTarget("t", "live-topic")]);
        await host.ProvisionAsync(anySource, $$$"""{"detail": {"ruleId": ["{{{ruleId}}}"]}}""", [new EventRuleTarget("t", "any-topic")]);
        await host.ProvisionAsync(hunts,
            $$$"""{"source": ["platform.retro-hunt"], "detail-type": ["Retro-Hunt Finding Raised"], "detail": {"ruleId": ["{{{ruleId}}}"]}}""",
            [new EventRuleTarget("t", "hunt-topic")]);

        var huntId = Guid.NewGuid();
        await host.PublishAsync(Finding(ruleId, FindingOrigin.OfHunt(huntId)));
        var delivered = Assert.Single(await host.ScheduledAsync(hunts, 1)).Message.Body;
        Assert.Equal("platform.retro-hunt", delivered["source"]!.GetValue<string>());
        Assert.Equal("Retro-Hunt Finding Raised", delivered["detail-type"]!.GetValue<string>());
        Assert.Equal(huntId.ToString(), delivered["detail"]!["origin"]!["huntId"]!.GetValue<string>());

        // A live finding of the same rule, published after, reaches the other two: they were listening all along.
        await host.PublishAsync(Finding(ruleId, null));
        Assert.Single(await host.ScheduledAsync(live, 1));
        Assert.Single(await host.ScheduledAsync(anySource, 1));
        Assert.Single(host.Scheduled(hunts));
    }

    private static FindingRaised Finding(string ruleId, FindingOrigin? origin) => new(
        Guid.NewGuid(), ruleId, "Hunted", null, FindingSeverity.High, FindingStatus.Open, 1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
        "123456789012", "us-east-1", "root", ["203.0.113.9"], [], [], [], [], 1, origin);

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}
