namespace Platform.Detection.Tests;

/// <summary>Custom detection rules and suppression rules provisioned on the bus take effect live.</summary>
[Collection(DetectionCollection.Name)]
public sealed class Provisioned_rules(DetectionHost detection)
{
    [Fact]
    public async Task A_custom_rule_provisioned_on_the_bus_raises_a_finding_for_the_next_matching_event()
    {
        var ruleId = Guid.NewGuid().ToString();
        var eventName = "Probe" + Guid.NewGuid().ToString("N")[..8];
        await detection.ProvisionRuleAsync("probe-" + ruleId, ProbeRules.Custom(ruleId, eventName), ruleId);
        var principal = CloudTrail.UniqueArn("custom");

        await detection.Bus.PublishAsync(CloudTrail.Batch([CloudTrail.Synthetic(eventName, principal, CloudTrail.UniqueIp(), DateTimeOffset.UtcNow)]));

        var finding = (await detection.WaitForFindingsAsync($"ruleId={ruleId}", f => f.Count > 0)).Single();
        Assert.Equal($"Probe {eventName}", finding.Title);
        Assert.Equal(FindingSeverity.High, finding.Severity);
        Assert.Equal(principal, finding.Principal);
        Assert.Equal(["T1580"], finding.Techniques);
        var rules = await detection.Client.GetFromJsonAsync<RuleList>("/v1/rules", PlatformJson.Options);
        var rule = rules!.Items.Single(r => r.Id == ruleId);
        Assert.Equal(RuleOrigin.Custom, rule.Origin);
        var counted = await Eventually.ObserveAsync(
            async () => (await detection.Client.GetFromJsonAsync<RuleList>("/v1/rules", PlatformJson.Options))!.Items.Single(r => r.Id == ruleId).MatchesLast24h,
            n => n == 1);
        Assert.Equal(1, counted);
    }

    [Fact]
    public async Task A_disabled_custom_rule_is_listed_but_raises_nothing()
    {
        var ruleId = Guid.NewGuid().ToString();
        var eventName = "Probe" + Guid.NewGuid().ToString("N")[..8];
        var name = "probe-" + ruleId;
        await detection.ProvisionRuleAsync(name, ProbeRules.Custom(ruleId, eventName), ruleId);
        await detection.ProvisionRuleAsync(name, ProbeRules.Custom(ruleId, eventName), ruleId, version: 2, enabled: false);
        var marker = Guid.NewGuid().ToString();
        var markerName = "Probe" + Guid.NewGuid().ToString("N")[..8];
        await detection.ProvisionRuleAsync("marker-" + marker, ProbeRules.Custom(marker, markerName), marker);

        await detection.Bus.PublishAsync(CloudTrail.Batch([
            CloudTrail.Synthetic(eventName, CloudTrail.UniqueArn(), CloudTrail.UniqueIp(), DateTimeOffset.UtcNow),
            CloudTrail.Synthetic(markerName, CloudTrail.UniqueArn(), CloudTrail.UniqueIp(), DateTimeOffset.UtcNow)]));

        await detection.WaitForFindingsAsync($"ruleId={marker}", f => f.Count > 0);
        Assert.Empty((await detection.FindingsAsync($"ruleId={ruleId}")).Items);
    }

    [Fact]
    public async Task A_custom_rule_that_does_not_load_is_reported_with_its_line_and_reason()
    {
        var name = "broken-" + Guid.NewGuid().ToString("N")[..8];
        var yaml = """
            title: Broken
            logsource:
                product: aws
                service: cloudtrail
            detection:
                selection:
                    eventName|nosuchmodifier: X
                condition: selection
            """;

        await detection.Bus.PublishAsync(new DetectionRuleProvisioned(name, new DetectionRuleSpec(yaml), 1));

        var errors = await Eventually.ObserveAsync(
            async () => (await detection.Client.GetFromJsonAsync<RuleErrorList>("/v1/rules/errors", PlatformJson.Options))!.Items
                .Where(e => e.Source == "custom:" + name).ToList(),
            e => e.Count > 0);
        var error = Assert.Single(errors);
        Assert.Equal(RuleOrigin.Custom, error.Origin);
        Assert.Equal(7, error.Line);
        Assert.Contains("nosuchmodifier", error.Reason);
    }

    [Fact]
    public async Task A_suppression_rule_suppresses_a_new_finding_as_it_is_raised()
    {
        var principal = CloudTrail.UniqueArn("suppressed");
        await detection.Bus.PublishAsync(new SuppressionRuleProvisioned(
            "pentest-" + Guid.NewGuid().ToString("N")[..8],
            new SuppressionRuleSpec(
                new Dictionary<string, IReadOnlyList<string>> { ["principal"] = [principal], ["severity"] = ["medium", "high"] },
                "Authorised penetration test",
                DateTimeOffset.UtcNow.AddDays(1)),
            1));
        // Live configuration events are applied in order: once a rule provisioned after it is listed, the suppression applies.
        var marker = Guid.NewGuid().ToString();
        await detection.ProvisionRuleAsync("marker-" + marker, ProbeRules.Custom(marker, "Probe" + marker[..8]), marker);
        var template = CloudTrail.Records("aws.persistence.iam-create-admin-user.json", "CreateAccessKey")[0];

        await detection.Bus.PublishAsync(CloudTrail.Batch([CloudTrail.Variant(template, principal)]));

        var finding = (await detection.WaitForFindingsAsync(Raising_findings.Query(principal), f => f.Count > 0)).SingleOrDefault();
        Assert.NotNull(finding);
        Assert.Equal(FindingStatus.Suppressed, finding.Status);
        Assert.Equal("Authorised penetration test", finding.StatusReason);
        var raised = await Eventually.ObserveAsync(
            () => Task.FromResult(detection.Bus.Raised.FirstOrDefault(r => r.FindingId == finding.Id)), r => r is not null);
        Assert.Equal(FindingStatus.Suppressed, raised!.Status);
    }

    [Fact]
    public async Task An_event_count_correlation_fires_at_its_threshold_and_not_below()
    {
        var baseId = Guid.NewGuid().ToString();
        var correlationId = Guid.NewGuid().ToString();
        var eventName = "Login" + Guid.NewGuid().ToString("N")[..8];
        var yaml = ProbeRules.LoginBurst(eventName, baseId, correlationId);
        await detection.ProvisionRuleAsync("burst-" + correlationId, yaml, correlationId);
        var ip = CloudTrail.UniqueIp();
        var start = CloudTrail.Now().AddMinutes(-3);
        var attempts = Enumerable.Range(0, 3).Select(i => CloudTrail.Synthetic(eventName, CloudTrail.UniqueArn(), ip, start.AddSeconds(i * 10))).ToList();
        var otherIp = CloudTrail.Synthetic(eventName, CloudTrail.UniqueArn(), CloudTrail.UniqueIp(), start.AddSeconds(5));

        var belowId = Guid.NewGuid();
        await detection.Bus.PublishAsync(CloudTrail.Batch([attempts[0], otherIp, attempts[1]]), belowId);
        await Eventually.ObserveAsync(() => Task.FromResult(detection.Consumed.CountOf(belowId)), n => n > 0);
        Assert.Empty((await detection.FindingsAsync($"ruleId={correlationId}")).Items);

        await detection.Bus.PublishAsync(CloudTrail.Batch([attempts[2]]));

        var finding = (await detection.WaitForFindingsAsync($"ruleId={correlationId}", f => f.Count > 0)).Single();
        Assert.Equal(1, finding.Occurrences);
        Assert.Equal(FindingSeverity.High, finding.Severity);
        Assert.Equal(start, finding.FirstSeenAt);
        Assert.Equal(start.AddSeconds(20), finding.LastSeenAt);
        Assert.Empty((await detection.FindingsAsync($"ruleId={baseId}")).Items);
    }
}
