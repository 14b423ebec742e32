namespace Platform.ConfigRules.Managed;

/// <summary>
/// <c>ROOT_ACCOUNT_MFA_ENABLED</c> (periodic, no parameters): <c>configuration.SummaryMap.AccountMFAEnabled</c> of the
/// account's <c>AWS::::Account</c> item, as <c>GetAccountSummary</c> returns it. 1 is COMPLIANT; 0 is NON_COMPLIANT unless
/// the root user has no credentials (<c>AccountPasswordPresent</c> and <c>AccountAccessKeysPresent</c> both 0), which AWS
/// reports NOT_APPLICABLE; no summary recorded is INSUFFICIENT_DATA.
/// </summary>
public sealed class RootAccountMfaEnabled : PeriodicAccountRule
{
    public override string Identifier => "ROOT_ACCOUNT_MFA_ENABLED";

    public override IReadOnlyCollection<string> ContextResourceTypes { get; } = [ConfigurationItem.AccountResourceType];

    protected override Judgement Judge(AccountItems account, ManagedRuleArguments arguments)
    {
        var summary = ItemJson.At(account.Account?.Configuration, "SummaryMap");
        switch (ItemJson.Flag(ItemJson.At(summary, "AccountMFAEnabled")))
        {
            case true:
                return Judgement.Compliant();
            case false when ItemJson.Flag(ItemJson.At(summary, "AccountPasswordPresent")) == false
                            && ItemJson.Flag(ItemJson.At(summary, "AccountAccessKeysPresent")) == false:
                return Judgement.NotApplicable("the root user has no credentials");
            case false:
                return Judgement.NonCompliant("the root user does not have MFA enabled");
            default:
                return Judgement.InsufficientData("no account summary (SummaryMap.AccountMFAEnabled) has been recorded for the account");
        }
    }
}
