using Platform.Compliance.Api;
using Platform.Compliance.Timeline;
using Platform.Http;

namespace Platform.Compliance.Tests;

/// <summary>The read API: the summary per rule and per account, a rule's resources by compliance type, a resource's verdicts and timeline.</summary>
[Collection(EvaluationCollection.Name)]
public sealed class Reading_compliance(EvaluationHost host)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string> Compliant = new() { ["compliant"] = "true" };

    private async Task<(string Rule, string Type, string Account)> JudgeThreeAsync()
    {
        var (rule, type, account) = (TestNames.Unique("read"), EvaluationHost.UniqueType("Key"), TestNames.Unique("acct"));
        await host.ProvisionRuleAsync(rule, FakeConfigRuleCompiler.Spec(FakeConfigRuleCompiler.Tagged, type));
        await host.RecordAsync(EvaluationHost.Item(type, "key-a", account, T0, Compliant));
        await host.RecordAsync(EvaluationHost.Item(type, "key-b", account, T0, Compliant));
        await host.RecordAsync(EvaluationHost.Item(type, "arn:aws:kms:us-east-1:1:key/c", account, T0));
        Assert.NotNull(await host.WaitForChangeAsync(rule, "key-a", ComplianceTypes.Compliant));
        Assert.NotNull(await host.WaitForChangeAsync(rule, "key-b", ComplianceTypes.Compliant));
        Assert.NotNull(await host.WaitForChangeAsync(rule, "arn:aws:kms:us-east-1:1:key/c", ComplianceTypes.NonCompliant));
        return (rule, type, account);
    }

    [Fact]
    public async Task The_summary_counts_resources_per_rule_and_per_account()
    {
        var (rule, _, account) = await JudgeThreeAsync();
        using var analyst = host.Host.CreateClient(EvaluationHost.AnalystKey);

        var summary = await analyst.GetFromJsonAsync<ComplianceSummary>("/v1/compliance/summary", PlatformJson.Options);

        var byRule = Assert.Single(summary!.ConfigRules, r => r.ConfigRuleName == rule);
        Assert.Equal((ComplianceTypes.NonCompliant, 2, 1), (byRule.ComplianceType, byRule.Counts.CompliantResourceCount, byRule.Counts.NonCompliantResourceCount));
        var byAccount = Assert.Single(summary.Accounts, a => a.AwsAccountId == account);
        Assert.Equal((2, 1, 0, 1), (byAccount.Resources.CompliantResourceCount, byAccount.Resources.NonCompliantResourceCount,
            byAccount.CompliantRuleCount, byAccount.NonCompliantRuleCount));
        using var anonymous = host.Host.CreateClient(apiKey: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/compliance/summary")).StatusCode);
    }

    [Fact]
    public async Task A_rules_resources_filter_by_compliance_type_and_page()
    {
        var (rule, type, _) = await JudgeThreeAsync();
        using var analyst = host.Host.CreateClient(EvaluationHost.AnalystKey);

        var first = await analyst.GetFromJsonAsync<RuleCompliance>($"/v1/compliance/rules/{rule}?complianceTypes=COMPLIANT&limit=1", PlatformJson.Options);
        var second = await analyst.GetFromJsonAsync<RuleCompliance>(
            $"/v1/compliance/rules/{rule}?complianceTypes=COMPLIANT&limit=1&cursor={first!.NextCursor}", PlatformJson.Options);
        var nonCompliant = await analyst.GetFromJsonAsync<RuleCompliance>($"/v1/compliance/rules/{rule}?complianceTypes=NON_COMPLIANT", PlatformJson.Options);

        Assert.Equal(["key-a"], first.EvaluationResults.Select(e => e.ResourceId));
        Assert.Equal(["key-b"], second!.EvaluationResults.Select(e => e.ResourceId));
        Assert.Null(second.NextCursor);
        Assert.Equal([(type, "arn:aws:kms:us-east-1:1:key/c")], nonCompliant!.EvaluationResults.Select(e => (e.ResourceType, e.ResourceId)));
        Assert.Equal((ComplianceTypes.NonCompliant, 2, 1), (first.ComplianceType, first.Counts.CompliantResourceCount, first.Counts.NonCompliantResourceCount));

        using var badType = await analyst.GetAsync($"/v1/compliance/rules/{rule}?complianceTypes=GREEN");
        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);
        Assert.Contains("complianceTypes", await badType.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync("/v1/compliance/rules/no-such-rule")).StatusCode);
    }

    [Fact]
    public async Task A_resource_shows_its_verdicts_its_configuration_and_its_timeline_in_order()
    {
        var (rule, type, account) = await JudgeThreeAsync();
        const string id = "arn:aws:kms:us-east-1:1:key/c";
        await host.RecordAsync(EvaluationHost.Item(type, id, account, T0.AddMinutes(1), Compliant), 2);
        Assert.NotNull(await host.WaitForChangeAsync(rule, id, ComplianceTypes.Compliant));
        using var analyst = host.Host.CreateClient(EvaluationHost.AnalystKey);
        var path = $"/v1/compliance/resources/{type}/{Uri.EscapeDataString(id)}";

        var resource = await analyst.GetFromJsonAsync<ResourceCompliance>(path, PlatformJson.Options);
        var timeline = await analyst.GetFromJsonAsync<List<TimelineEntry>>(path + "/timeline", PlatformJson.Options);

        var verdict = Assert.Single(resource!.Evaluations);
        Assert.Equal((rule, ComplianceTypes.Compliant, 2L), (verdict.ConfigRuleName, verdict.ComplianceType, verdict.Version));
        Assert.Equal((id, account), (resource.ConfigurationItem?.ResourceId, resource.ConfigurationItem?.AwsAccountId));
        Assert.Equal([$"{rule}: (none) → NON_COMPLIANT", $"{rule}: NON_COMPLIANT → COMPLIANT"], timeline!.Select(e => e.Summary));
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync($"/v1/compliance/resources/{type}/never-seen")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await analyst.GetAsync($"/v1/compliance/resources/{type}/bad%01id")).StatusCode);
    }
}
