using static Platform.ConfigRules.Tests.Rules;

namespace Platform.ConfigRules.Tests;

/// <summary>ROOT_ACCOUNT_MFA_ENABLED as AWS documents it: GetAccountSummary's AccountMFAEnabled, on the account.</summary>
public sealed class Judging_root_account_mfa
{
    private static readonly IConfigRule Rule = AwsRule("ROOT_ACCOUNT_MFA_ENABLED");

    [Theory]
    [InlineData("""{"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 0, "Users": 3}""", ComplianceTypes.Compliant)]
    [InlineData("""{"AccountMFAEnabled": 0, "AccountAccessKeysPresent": 1, "AccountPasswordPresent": 1}""", ComplianceTypes.NonCompliant)]
    [InlineData("""{"AccountMFAEnabled": 0}""", ComplianceTypes.NonCompliant)]
    [InlineData("""{"AccountMFAEnabled": 0, "AccountAccessKeysPresent": 0, "AccountPasswordPresent": 0}""", ComplianceTypes.NotApplicable)]
    [InlineData("""{"Users": 3}""", ComplianceTypes.InsufficientData)]
    public void The_account_summary_decides(string summary, string expected)
    {
        var verdict = Scheduled(Rule, Items.AccountItem($$"""{"SummaryMap": {{summary}}}"""));

        Assert.Equal(expected, verdict.ComplianceType);
        Assert.Equal((ConfigurationItem.AccountResourceType, Items.Account), (verdict.ResourceType, verdict.ResourceId));
    }

    [Fact]
    public void No_account_item_is_insufficient_data() =>
        Assert.Equal(ComplianceTypes.InsufficientData, Scheduled(Rule).ComplianceType);

    [Fact]
    public void Turning_mfa_off_re_judges_the_account_on_the_change()
    {
        var before = Items.AccountItem("""{"SummaryMap": {"AccountMFAEnabled": 1}}""");
        var after = Items.AccountItem("""{"SummaryMap": {"AccountMFAEnabled": 0}}""");

        Assert.Equal(ComplianceTypes.NonCompliant, OnChange(Rule, after, before).ComplianceType);
    }
}
