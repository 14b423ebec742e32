namespace Platform.ConfigRules.Managed;

/// <summary>
/// <c>IAM_PASSWORD_POLICY</c> (periodic): the account's password policy (<c>configuration.PasswordPolicy</c> of its
/// <c>AWS::::Account</c> item, as <c>GetAccountPasswordPolicy</c> returns it) meets every parameter. An account without
/// a password policy (IAM's default) is NON_COMPLIANT; an account never recorded is INSUFFICIENT_DATA.
/// </summary>
public sealed class IamPasswordPolicy : PeriodicAccountRule
{
    private static readonly string[] Requirements = ["RequireUppercaseCharacters", "RequireLowercaseCharacters", "RequireSymbols", "RequireNumbers"];

    public override string Identifier => "IAM_PASSWORD_POLICY";

    public override IReadOnlyCollection<string> ContextResourceTypes { get; } = [ConfigurationItem.AccountResourceType];

    /// <summary>AWS's parameters and defaults; the ranges are IAM's own (<c>UpdateAccountPasswordPolicy</c>).</summary>
    public override IReadOnlyList<ManagedRuleParameter> Parameters { get; } =
    [
        ManagedRuleParameter.Boolean("RequireUppercaseCharacters", true),
        ManagedRuleParameter.Boolean("RequireLowercaseCharacters", true),
        ManagedRuleParameter.Boolean("RequireSymbols", true),
        ManagedRuleParameter.Boolean("RequireNumbers", true),
        ManagedRuleParameter.Integer("MinimumPasswordLength", 14, 6, 128),
        ManagedRuleParameter.Integer("PasswordReusePrevention", 24, 1, 24),
        ManagedRuleParameter.Integer("MaxPasswordAge", 90, 1, 1095),
    ];

    protected override Judgement Judge(AccountItems account, ManagedRuleArguments arguments)
    {
        if (account.Account is not { } item)
        {
            return Judgement.InsufficientData("no account snapshot (password policy) has been recorded for the account");
        }
        var policy = ItemJson.At(item.Configuration, "PasswordPolicy");
        if (ItemJson.At(policy, "PasswordPolicy") is { } wrapped)
        {
            policy = wrapped; // the whole GetAccountPasswordPolicy answer
        }
        if (policy is not { ValueKind: JsonValueKind.Object })
        {
            return Judgement.NonCompliant("the account has no password policy (IAM's default)");
        }

        var failures = new List<string>();
        foreach (var requirement in Requirements.Where(arguments.Boolean))
        {
            if (ItemJson.Flag(ItemJson.At(policy, requirement)) != true)
            {
                failures.Add($"{requirement} is not set");
            }
        }
        var minimumLength = arguments.Integer("MinimumPasswordLength");
        if (ItemJson.Integer(ItemJson.At(policy, "MinimumPasswordLength")) is not { } length || length < minimumLength)
        {
            failures.Add($"MinimumPasswordLength is below {minimumLength}");
        }
        var reuse = arguments.Integer("PasswordReusePrevention");
        if (ItemJson.Integer(ItemJson.At(policy, "PasswordReusePrevention")) is not { } remembered || remembered < reuse)
        {
            failures.Add($"PasswordReusePrevention is below {reuse}");
        }
        var maxAge = arguments.Integer("MaxPasswordAge");
        if (ItemJson.Integer(ItemJson.At(policy, "MaxPasswordAge")) is not { } age || age > maxAge)
        {
            failures.Add($"MaxPasswordAge is not at most {maxAge} days");
        }
        return failures.Count == 0 ? Judgement.Compliant() : Judgement.NonCompliant(string.Join("; ", failures));
    }
}
