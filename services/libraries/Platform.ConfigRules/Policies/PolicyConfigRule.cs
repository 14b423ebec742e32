namespace Platform.ConfigRules.Policies;

/// <summary>
/// A rule whose <c>Source.Owner</c> is <c>CUSTOM_POLICY</c>: <c>CustomPolicyDetails.PolicyText</c> in Sigma
/// (<c>PolicyRuntime: sigma</c>) or the name of a built-in policy (<c>PolicyRuntime: builtin</c>), run on the configuration
/// changes its <c>SourceDetails</c> name, as AWS runs policy rules (change-triggered only).
/// </summary>
internal sealed class PolicyConfigRule(string name, ConfigRuleSpec spec, RuleScope scope, IPolicy policy) : ConfigRuleBase(name, spec, scope)
{
    /// <summary>AWS's limit on <c>PolicyText</c>.</summary>
    public const int MaxPolicyLength = 10_000;

    private static readonly string[] MessageTypes = [ChangeNotification, OversizedChangeNotification];

    public override TimeSpan? Frequency => null;

    public override bool IsTriggeredBy(ConfigurationItem item) => Scope.Matches(item);

    protected override ValueTask<IReadOnlyList<RuleEvaluation>> EvaluateTriggeredAsync(RuleInput input, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<RuleEvaluation>>(input.ChangedItem is { } item ? [policy.Judge(item).On(item)] : []);

    internal static PolicyConfigRule? Compile(
        string name, ConfigRuleSpec spec, ConfigRuleSource source, RuleParameters parameters, RuleScope scope, TimeSpan? frequency, Action<string, string> fail)
    {
        if (source.SourceIdentifier is not null)
        {
            fail("Source.SourceIdentifier", $"is not taken by {ConfigRuleCompiler.PolicyOwner} rules: the policy is in CustomPolicyDetails");
        }
        ReadSourceDetails(source, spec, frequency, MessageTypes, fail);
        if (parameters.Json is not null)
        {
            fail(RuleParameters.Field, "a policy rule takes no parameters: write the values into the policy");
        }
        const string details = "Source.CustomPolicyDetails";
        if (source.CustomPolicyDetails is not { } custom)
        {
            fail(details, $"is required: {{\"PolicyRuntime\": \"{SigmaPolicy.Runtime}\", \"PolicyText\": \"<a Sigma rule>\"}} or {{\"PolicyRuntime\": \"{BuiltInPolicies.Runtime}\", \"PolicyText\": \"{S3BucketPolicyPublicAccess.Name}\"}}");
            return null;
        }
        const string textField = $"{details}.PolicyText";
        if (string.IsNullOrWhiteSpace(custom.PolicyText))
        {
            fail(textField, "is required");
            return null;
        }
        if (custom.PolicyText.Length > MaxPolicyLength)
        {
            fail(textField, $"is {custom.PolicyText.Length} characters long: at most {MaxPolicyLength}");
            return null;
        }
        IPolicy? policy;
        switch (custom.PolicyRuntime)
        {
            case SigmaPolicy.Runtime:
                policy = SigmaPolicy.Compile(custom.PolicyText, textField, fail);
                break;
            case BuiltInPolicies.Runtime:
                policy = BuiltInPolicies.All.GetValueOrDefault(custom.PolicyText.Trim());
                if (policy is null)
                {
                    fail(textField, $"'{custom.PolicyText}' is not a built-in policy: use {string.Join(", ", BuiltInPolicies.All.Keys)}");
                }
                break;
            default:
                fail($"{details}.PolicyRuntime", custom.PolicyRuntime is null
                    ? $"is required: {SigmaPolicy.Runtime} or {BuiltInPolicies.Runtime}"
                    : $"unknown runtime '{custom.PolicyRuntime}': use {SigmaPolicy.Runtime} (a Sigma rule over configuration items) or {BuiltInPolicies.Runtime}");
                return null;
        }
        return policy is null ? null : new PolicyConfigRule(name, spec, scope, policy);
    }
}
