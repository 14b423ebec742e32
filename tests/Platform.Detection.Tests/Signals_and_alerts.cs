using Platform.Detection.Tests.Rules;

namespace Platform.Detection.Tests;

/// <summary>
/// Through the real detection service: low-fidelity rules raise signals (kept, listed apart, not paged), a correlation
/// over a signal raises an alert, and a rule's disposition set through provisioning takes effect live and shows in the
/// finding events.
/// </summary>
[Collection(DetectionCollection.Name)]
public sealed class Signals_and_alerts(DetectionHost detection)
{
    private const string SignalThenPrivilegeChange = "15eb2eef-b4dd-4a9a-9f97-38af2957c026";
    private const string PrivilegeChange = "615fb143-29ce-4cb3-81be-f96c7ed0e119";

    [Fact]
    public async Task A_call_by_an_assumed_role_raises_a_signal_listed_apart_from_alerts()
    {
        var session = AssumedRoleSession();

        await detection.Bus.PublishAsync(CloudTrail.Batch([Call(session, "ec2.amazonaws.com", "DescribeInstances", CloudTrail.Now())]));

        var signal = Assert.Single(await detection.WaitForFindingsAsync($"disposition=signal&principal={Uri.EscapeDataString(session)}", f => f.Count > 0));
        Assert.Equal(RuleIds.SigmaHqAssumeRoleMisuse, signal.RuleId);
        Assert.Equal(FindingDisposition.Signal, signal.Disposition);
        Assert.Empty((await detection.FindingsAsync($"disposition=alert&principal={Uri.EscapeDataString(session)}")).Items);
        var raised = await RaisedAsync(r => r.Principal == session);
        Assert.Equal(FindingDisposition.Signal, raised.Disposition);
    }

    [Fact]
    public async Task A_signal_followed_by_a_privilege_change_by_the_same_session_raises_an_alert()
    {
        var session = AssumedRoleSession();
        var now = CloudTrail.Now();

        await detection.Bus.PublishAsync(CloudTrail.Batch([Call(session, "ec2.amazonaws.com", "DescribeInstances", now.AddMinutes(-20))]));
        await detection.Bus.PublishAsync(CloudTrail.Batch([AttachRolePolicy(session, now)]));

        var alert = Assert.Single(await detection.WaitForFindingsAsync(
            $"ruleId={SignalThenPrivilegeChange}&principal={Uri.EscapeDataString(session)}", f => f.Count > 0));
        Assert.Equal(FindingDisposition.Alert, alert.Disposition);
        Assert.Equal(FindingDisposition.Alert, (await RaisedAsync(r => r.RuleId == SignalThenPrivilegeChange && r.Principal == session)).Disposition);
        // The steps stay signals of their own.
        var signals = await detection.WaitForFindingsAsync(
            $"disposition=signal&principal={Uri.EscapeDataString(session)}", f => f.Any(x => x.RuleId == PrivilegeChange));
        Assert.Contains(signals, f => f.RuleId == RuleIds.SigmaHqAssumeRoleMisuse);
    }

    [Fact]
    public async Task A_privilege_change_alone_raises_its_signal_but_no_correlation_alert()
    {
        var session = AssumedRoleSession();

        await detection.Bus.PublishAsync(CloudTrail.Batch([AttachRolePolicy(session, CloudTrail.Now())]));

        await detection.WaitForFindingsAsync($"ruleId={PrivilegeChange}&principal={Uri.EscapeDataString(session)}", f => f.Count > 0);
        Assert.Empty((await detection.FindingsAsync($"ruleId={SignalThenPrivilegeChange}&principal={Uri.EscapeDataString(session)}")).Items);
    }

    [Fact]
    public async Task A_disposition_set_through_provisioning_takes_effect_live_and_shows_in_the_finding_events()
    {
        var ruleId = Guid.NewGuid().ToString();
        var eventName = "Probe" + Guid.NewGuid().ToString("N")[..8];
        await detection.ProvisionRuleAsync("probe-" + ruleId, ProbeRules.Custom(ruleId, eventName), ruleId);
        var setting = "setting-" + ruleId;
        var principal = CloudTrail.UniqueArn("disposition");

        await SetAsync(setting, new RuleSettingSpec(ruleId, FindingDisposition.Signal), 1, r => r.Disposition == FindingDisposition.Signal);
        await detection.Bus.PublishAsync(CloudTrail.Batch([CloudTrail.Synthetic(eventName, principal, CloudTrail.UniqueIp(), CloudTrail.Now())]));

        var raised = await RaisedAsync(r => r.RuleId == ruleId);
        Assert.Equal(FindingDisposition.Signal, raised.Disposition);
        Assert.Equal(FindingDisposition.Signal, Assert.Single((await detection.FindingsAsync($"ruleId={ruleId}&disposition=signal")).Items).Disposition);

        await SetAsync(setting, new RuleSettingSpec(ruleId, FindingDisposition.Alert), 2, r => r.Disposition == FindingDisposition.Alert);
        await detection.Bus.PublishAsync(CloudTrail.Batch([CloudTrail.Synthetic(eventName, principal, CloudTrail.UniqueIp(), CloudTrail.Now())]));

        var updated = await Eventually.ObserveAsync(() => Task.FromResult(detection.Bus.Updated.FirstOrDefault(u => u.RuleId == ruleId)), u => u is not null);
        Assert.Equal(FindingDisposition.Alert, updated!.Disposition);
        Assert.Equal(FindingDisposition.Alert, Assert.Single((await detection.FindingsAsync($"ruleId={ruleId}&disposition=alert")).Items).Disposition);
    }

    [Fact]
    public async Task A_rule_setting_switches_a_disabled_rule_on_live()
    {
        var ruleId = Guid.NewGuid().ToString();
        var eventName = "Probe" + Guid.NewGuid().ToString("N")[..8];
        await detection.ProvisionRuleAsync("probe-" + ruleId, ProbeRules.Custom(ruleId, eventName), ruleId, enabled: false);

        await SetAsync("setting-" + ruleId, new RuleSettingSpec(ruleId, Enabled: true), 1, r => r.Enabled);
        await detection.Bus.PublishAsync(CloudTrail.Batch([CloudTrail.Synthetic(eventName, CloudTrail.UniqueArn(), CloudTrail.UniqueIp(), CloudTrail.Now())]));

        var finding = Assert.Single(await detection.WaitForFindingsAsync($"ruleId={ruleId}", f => f.Count > 0));
        Assert.Equal(FindingDisposition.Alert, finding.Disposition);
    }

    [Fact]
    public async Task A_rule_setting_that_names_no_loaded_rule_is_reported_with_the_rule_errors()
    {
        var name = "setting-" + Guid.NewGuid().ToString("N")[..8];

        await detection.Bus.PublishAsync(new RuleSettingProvisioned(name, new RuleSettingSpec("no-such-rule", FindingDisposition.Signal), 1));

        var errors = await Eventually.ObserveAsync(
            async () => (await detection.Client.GetFromJsonAsync<RuleErrorList>("/v1/rules/errors", PlatformJson.Options))!.Items
                .Where(e => e.Source == RuleCatalog.SettingSource + name).ToList(),
            e => e.Count > 0);
        Assert.Contains("no-such-rule", Assert.Single(errors).Reason);
    }

    [Fact]
    public async Task An_unknown_disposition_is_refused_naming_the_field()
    {
        using var response = await detection.Client.GetAsync("/v1/findings?disposition=page");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("must be alert or signal", (string?)problem!["errors"]!["disposition"]![0]);
    }

    /// <summary>Publishes a rule setting and waits until the rule is listed as <paramref name="applied"/> says.</summary>
    private async Task SetAsync(string name, RuleSettingSpec spec, long version, Func<RuleView, bool> applied)
    {
        await detection.Bus.PublishAsync(new RuleSettingProvisioned(name, spec, version));
        await Eventually.ObserveAsync(
            async () => (await detection.Client.GetFromJsonAsync<RuleList>("/v1/rules", PlatformJson.Options))!.Items.Single(r => r.Id == spec.RuleId),
            applied);
    }

    private async Task<FindingRaised> RaisedAsync(Func<FindingRaised, bool> which) =>
        (await Eventually.ObserveAsync(() => Task.FromResult(detection.Bus.Raised.FirstOrDefault(which)), r => r is not null))!;

    /// <summary>An assumed-role session of its own (its ARN): no other test's events group with it.</summary>
    private static string AssumedRoleSession() => $"arn:aws:sts::111122223333:assumed-role/ops/ops-{Guid.NewGuid():N}";

    private static JsonObject Call(string session, string eventSource, string eventName, DateTimeOffset time, JsonObject? requestParameters = null) => new()
    {
        ["eventVersion"] = "1.09",
        ["eventID"] = Guid.NewGuid().ToString(),
        ["eventTime"] = time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        ["eventSource"] = eventSource,
        ["eventName"] = eventName,
        ["awsRegion"] = "us-east-1",
        ["sourceIPAddress"] = CloudTrail.UniqueIp(),
        ["recipientAccountId"] = "111122223333",
        ["userIdentity"] = new JsonObject
        {
            ["type"] = "AssumedRole",
            ["arn"] = session,
            ["accountId"] = "111122223333",
            ["sessionContext"] = new JsonObject
            {
                ["sessionIssuer"] = new JsonObject { ["type"] = "Role", ["arn"] = "arn:aws:iam::111122223333:role/ops", ["userName"] = "ops" },
            },
        },
        ["requestParameters"] = requestParameters,
    };

    private static JsonObject AttachRolePolicy(string session, DateTimeOffset time) =>
        Call(session, "iam.amazonaws.com", "AttachRolePolicy", time,
            new JsonObject { ["roleName"] = "reporting", ["policyArn"] = "arn:aws:iam::aws:policy/ReadOnlyAccess" });
}
