using Platform.Compliance.Api;

namespace Platform.Compliance.Tests;

/// <summary>A rule created, changed or asked to re-evaluate judges every resource it applies to; a deleted rule's verdicts leave the read model.</summary>
[Collection(EvaluationCollection.Name)]
public sealed class Re_evaluating_rules(EvaluationHost host)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string> Compliant = new() { ["compliant"] = "true" };

    [Fact]
    public async Task Creating_changing_and_asking_judge_every_recorded_resource_and_deleting_drops_the_verdicts()
    {
        var (first, second, type, account) = (TestNames.Unique("first"), TestNames.Unique("second"), EvaluationHost.UniqueType("Volume"), "444444444444");
        string[] ids = ["vol-1", "vol-2", "vol-3"];
        await host.ProvisionRuleAsync(first, FakeConfigRuleCompiler.Spec(FakeConfigRuleCompiler.Tagged, type));
        foreach (var id in ids)
        {
            await host.RecordAsync(EvaluationHost.Item(type, id, account, T0));
            Assert.NotNull(await host.WaitForChangeAsync(first, id, ComplianceTypes.NonCompliant));
        }

        // Created: its first run judges the three resources recorded before it existed.
        await host.ProvisionRuleAsync(second, FakeConfigRuleCompiler.Spec(FakeConfigRuleCompiler.Tagged, type));
        foreach (var id in ids)
        {
            Assert.NotNull(await host.WaitForChangeAsync(second, id, ComplianceTypes.NonCompliant));
        }
        var created = await host.WaitForRunAsync(second, s => s.State == RuleRunStates.Succeeded);
        Assert.Equal((3, 3), (created!.ResourcesEvaluated, created.ResourcesTotal));

        // Changed: a new version runs again, and sees what the resources are now.
        host.Items.Put(EvaluationHost.Item(type, "vol-1", account, T0.AddMinutes(1), Compliant));
        await host.PublishAsync(new ConfigRuleProvisioned(second, FakeConfigRuleCompiler.Spec(FakeConfigRuleCompiler.Tagged, type) with { Description = "v2" }, 2));
        Assert.NotNull(await host.WaitForChangeAsync(second, "vol-1", ComplianceTypes.Compliant));

        // Asked: 202 at once, progress at evaluation-status.
        host.Items.Put(EvaluationHost.Item(type, "vol-2", account, T0.AddMinutes(2), Compliant));
        using var admin = host.Host.CreateAdminClient();
        using var accepted = await admin.PostAsync($"/v1/config-rules/{second}/evaluate", null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal($"/v1/config-rules/{second}/evaluation-status", accepted.Headers.Location?.ToString());
        Assert.NotNull(await host.WaitForChangeAsync(second, "vol-2", ComplianceTypes.Compliant));
        var asked = await host.WaitForRunAsync(second, s => s.State == RuleRunStates.Succeeded && s.ResourcesEvaluated == 3);
        Assert.Equal((RuleRunStates.Succeeded, 3, null), (asked!.State, asked.ResourcesEvaluated, asked.LastErrorMessage));
        Assert.Single(host.ChangesOf(second, "vol-3"));

        // Deleted: its verdicts leave the read model; the other rule's stay.
        await host.PublishAsync(new ConfigRuleDeleted(second, 3));
        Assert.Equal(HttpStatusCode.NotFound, await Eventually.ObserveAsync(
            async () => (await admin.GetAsync($"/v1/compliance/rules/{second}")).StatusCode, s => s == HttpStatusCode.NotFound));
        var resource = await admin.GetFromJsonAsync<ResourceCompliance>($"/v1/compliance/resources/{type}/vol-1", PlatformJson.Options);
        Assert.Equal([first], resource!.Evaluations.Select(e => e.ConfigRuleName));
        await using var scope = host.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ComplianceDbContext>();
        Assert.Equal(0, await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            db.Set<EvaluationRecord>().Where(e => e.ConfigRuleName == second)));
    }

    [Fact]
    public async Task Asking_to_evaluate_needs_an_admin_and_a_rule_that_exists()
    {
        using var admin = host.Host.CreateAdminClient();
        using var unknown = await admin.PostAsync("/v1/config-rules/no-such-rule/evaluate", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        using var analyst = host.Host.CreateClient(EvaluationHost.AnalystKey);
        using var forbidden = await analyst.PostAsync("/v1/config-rules/no-such-rule/evaluate", null);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }
}
