namespace Platform.Compliance.Tests;

/// <summary>A periodic account-level rule is judged again as soon as an item of a type it reads changes, not at its next period.</summary>
[Collection(EvaluationCollection.Name)]
public sealed class Periodic_rules_follow_their_context(EvaluationHost host)
{
    [Fact]
    public async Task A_trail_that_stops_logging_turns_the_account_non_compliant_within_seconds()
    {
        var (rule, account) = (TestNames.Unique("trail-enabled"), TestNames.Unique("acct"));
        await host.ProvisionRuleAsync(rule, FakeConfigRuleCompiler.Spec(FakeConfigRuleCompiler.TrailLogging, FakeConfigRuleCompiler.TrailType, frequency: "TwentyFour_Hours"));
        var at = DateTimeOffset.UtcNow;

        await host.RecordAsync(EvaluationHost.Item(FakeConfigRuleCompiler.TrailType, $"{account}-trail", account, at,
            supplementary: """{"TrailStatus": {"IsLogging": true}}"""));
        Assert.NotNull(await host.WaitForChangeAsync(rule, account, ComplianceTypes.Compliant));

        var stopped = DateTimeOffset.UtcNow;
        await host.RecordAsync(EvaluationHost.Item(FakeConfigRuleCompiler.TrailType, $"{account}-trail", account, stopped.AddSeconds(1),
            supplementary: """{"TrailStatus": {"IsLogging": false}}"""), 2);
        var change = await host.WaitForChangeAsync(rule, account, ComplianceTypes.NonCompliant, TimeSpan.FromSeconds(10));

        Assert.NotNull(change);
        Assert.Equal((ConfigurationItem.AccountResourceType, ComplianceTypes.Compliant), (change.ResourceType, change.OldComplianceType));
        Assert.True(DateTimeOffset.UtcNow - stopped < TimeSpan.FromSeconds(10));
        // The periodic rule is due again a period after its run, not sooner.
        var status = await host.WaitForRunAsync(rule, s => s.NextRunAt is not null);
        Assert.True(status!.NextRunAt > DateTimeOffset.UtcNow.AddHours(23), $"next run at {status.NextRunAt}");
    }
}
