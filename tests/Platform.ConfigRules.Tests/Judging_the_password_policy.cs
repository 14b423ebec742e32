using static Platform.ConfigRules.Tests.Rules;

namespace Platform.ConfigRules.Tests;

/// <summary>IAM_PASSWORD_POLICY as AWS documents it: periodic, on the account, every parameter with its default.</summary>
public sealed class Judging_the_password_policy
{
    /// <summary>GetAccountPasswordPolicy's PasswordPolicy meeting every default (14, 24, 90 days, all character classes).</summary>
    private const string Strong = """
        {"MinimumPasswordLength": 14, "RequireSymbols": true, "RequireNumbers": true, "RequireUppercaseCharacters": true,
         "RequireLowercaseCharacters": true, "AllowUsersToChangePassword": true, "ExpirePasswords": true, "MaxPasswordAge": 90,
         "PasswordReusePrevention": 24, "HardExpiry": false}
        """;

    private static ConfigurationItem Account(string policy) => Items.AccountItem($$$"""{"PasswordPolicy": {{{policy}}}, "SummaryMap": {"AccountMFAEnabled": 1}}""");

    private static string With(string field, string value) => Strong.Replace($"\"{field}\": ", $"\"{field}\": {value}, \"was{field}\": ", StringComparison.Ordinal);

    [Fact]
    public void A_policy_meeting_the_defaults_is_compliant_and_reported_on_the_account()
    {
        var verdict = Scheduled(AwsRule("IAM_PASSWORD_POLICY"), Account(Strong));

        Assert.Equal(ComplianceTypes.Compliant, verdict.ComplianceType);
        Assert.Equal((ConfigurationItem.AccountResourceType, Items.Account), (verdict.ResourceType, verdict.ResourceId));
        Assert.Equal(Items.Now, verdict.OrderingTimestamp);
    }

    [Theory]
    [InlineData("MinimumPasswordLength", "13")]
    [InlineData("PasswordReusePrevention", "23")]
    [InlineData("MaxPasswordAge", "91")]
    [InlineData("RequireSymbols", "false")]
    [InlineData("RequireNumbers", "false")]
    [InlineData("RequireUppercaseCharacters", "false")]
    [InlineData("RequireLowercaseCharacters", "false")]
    public void One_requirement_short_of_the_defaults_is_non_compliant(string field, string value)
    {
        var verdict = Scheduled(AwsRule("IAM_PASSWORD_POLICY"), Account(With(field, value)));

        Assert.Equal(ComplianceTypes.NonCompliant, verdict.ComplianceType);
        Assert.Contains(field, verdict.Annotation);
    }

    [Fact]
    public void Passwords_that_never_expire_fail_the_maximum_age()
    {
        var policy = Strong.Replace("\"MaxPasswordAge\": 90,", "", StringComparison.Ordinal);

        Assert.Equal(ComplianceTypes.NonCompliant, Scheduled(AwsRule("IAM_PASSWORD_POLICY"), Account(policy)).ComplianceType);
    }

    [Fact]
    public void Parameters_relax_or_tighten_the_checks()
    {
        var weak = """{"MinimumPasswordLength": 8, "RequireSymbols": false, "RequireNumbers": true, "RequireUppercaseCharacters": true, "RequireLowercaseCharacters": true, "MaxPasswordAge": 365, "PasswordReusePrevention": 5}""";
        var relaxed = AwsRule("IAM_PASSWORD_POLICY", """ "{\"MinimumPasswordLength\":\"8\",\"RequireSymbols\":\"false\",\"MaxPasswordAge\":\"365\",\"PasswordReusePrevention\":\"5\"}" """);
        var tighter = AwsRule("IAM_PASSWORD_POLICY", """{"MinimumPasswordLength": 9, "RequireSymbols": false, "MaxPasswordAge": 365, "PasswordReusePrevention": 5}""");

        Assert.Equal(ComplianceTypes.Compliant, Scheduled(relaxed, Account(weak)).ComplianceType);
        Assert.Equal(ComplianceTypes.NonCompliant, Scheduled(tighter, Account(weak)).ComplianceType);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    public void An_account_without_a_password_policy_is_non_compliant(string configuration)
    {
        var account = Items.AccountItem(configuration == "null" ? """{"PasswordPolicy": null, "SummaryMap": {}}""" : configuration);

        var verdict = Scheduled(AwsRule("IAM_PASSWORD_POLICY"), account);

        Assert.Equal(ComplianceTypes.NonCompliant, verdict.ComplianceType);
        Assert.Contains("no password policy", verdict.Annotation);
    }

    [Fact]
    public void An_account_never_recorded_is_insufficient_data()
    {
        var otherAccount = Items.AccountItem($$"""{"PasswordPolicy": {{Strong}}}""", account: "999999999999");

        Assert.Equal(ComplianceTypes.InsufficientData, Scheduled(AwsRule("IAM_PASSWORD_POLICY"), otherAccount).ComplianceType);
    }

    [Fact]
    public void It_is_periodic_and_a_new_account_snapshot_re_judges_the_account_at_once()
    {
        var rule = AwsRule("IAM_PASSWORD_POLICY");
        var old = Account(Strong);
        var changed = Account(With("MinimumPasswordLength", "6"));

        Assert.Equal(TimeSpan.FromHours(24), rule.Frequency);
        Assert.Equal([ConfigurationItem.AccountResourceType], rule.ContextResourceTypes);
        Assert.True(rule.IsTriggeredBy(changed));
        Assert.False(rule.IsTriggeredBy(Items.Bucket(null)));
        Assert.Equal(ComplianceTypes.NonCompliant, OnChange(rule, changed, old).ComplianceType);
    }
}
