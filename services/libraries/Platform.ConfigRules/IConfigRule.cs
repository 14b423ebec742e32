namespace Platform.ConfigRules;

/// <summary>
/// A config rule compiled from its <see cref="ConfigRuleSpec"/>, ready to judge resources: a managed rule, a Sigma
/// policy over configuration items, or a function. The compliance service decides when to run it (on a configuration
/// change that <see cref="IsTriggeredBy"/>, on its schedule, on request) and keeps what it answers.
/// </summary>
public interface IConfigRule
{
    /// <summary>The rule's name.</summary>
    string Name { get; }

    /// <summary>The spec it was compiled from.</summary>
    ConfigRuleSpec Spec { get; }

    /// <summary>Whether a change to <paramref name="item"/> is one this rule evaluates (its trigger types and <c>Scope</c>).</summary>
    bool IsTriggeredBy(ConfigurationItem item);

    /// <summary>How often it runs on a schedule; null when only configuration changes trigger it.</summary>
    TimeSpan? Frequency { get; }

    /// <summary>
    /// The resource types the rule needs to see in <see cref="RuleInput.AccountItems"/> (for example
    /// <c>AWS::CloudTrail::Trail</c> for <c>CLOUD_TRAIL_ENABLED</c>, <c>AWS::::Account</c> for the password policy);
    /// empty when it judges the changed item alone.
    /// </summary>
    IReadOnlyCollection<string> ContextResourceTypes { get; }

    /// <summary>
    /// Judges: the changed item when <see cref="RuleInput.ChangedItem"/> is set, else (a scheduled or requested run)
    /// the account as a whole. Answers one evaluation per resource judged; a deleted item is <c>NOT_APPLICABLE</c>.
    /// </summary>
    ValueTask<IReadOnlyList<RuleEvaluation>> EvaluateAsync(RuleInput input, CancellationToken cancellationToken);
}

/// <summary>What a rule is asked to judge.</summary>
/// <param name="AwsAccountId">The account.</param>
/// <param name="AwsRegion">The region.</param>
/// <param name="ChangedItem">The item whose change triggered the run; null for a scheduled or requested run.</param>
/// <param name="AccountItems">The current items of the account of the rule's <see cref="IConfigRule.ContextResourceTypes"/>.</param>
/// <param name="Now">The evaluation's time.</param>
public sealed record RuleInput(
    string AwsAccountId, string AwsRegion, ConfigurationItem? ChangedItem, IReadOnlyList<ConfigurationItem> AccountItems, DateTimeOffset Now);

/// <summary>One verdict, as <c>put_evaluations</c> takes it.</summary>
/// <param name="ResourceType">The judged resource's type (<c>AWS::::Account</c> for account-level rules).</param>
/// <param name="ResourceId">Its id (the account id for account-level rules).</param>
/// <param name="ComplianceType">One of <see cref="ComplianceTypes"/>.</param>
/// <param name="Annotation">Why, when the rule says.</param>
/// <param name="OrderingTimestamp">The time of the configuration (or schedule) judged.</param>
public sealed record RuleEvaluation(string ResourceType, string ResourceId, string ComplianceType, string? Annotation, DateTimeOffset OrderingTimestamp);

/// <summary>AWS Config's compliance types.</summary>
public static class ComplianceTypes
{
    public const string Compliant = "COMPLIANT";
    public const string NonCompliant = "NON_COMPLIANT";
    public const string NotApplicable = "NOT_APPLICABLE";
    public const string InsufficientData = "INSUFFICIENT_DATA";
}

/// <summary>
/// Invokes a <c>CUSTOM_LAMBDA</c> rule's function (the <c>functions</c> kind) with the payload Lambda would receive and
/// reads the evaluations it answers, as <c>put_evaluations</c> takes them. The compliance service implements it.
/// </summary>
public interface IConfigRuleFunctionInvoker
{
    /// <summary>Invokes <paramref name="function"/> (ARN or name) with <paramref name="invocation"/>.</summary>
    Task<IReadOnlyList<RuleEvaluation>> InvokeAsync(string function, ConfigRuleInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>The event a Config rule's Lambda function receives (<c>invokingEvent</c> and <c>ruleParameters</c> are JSON strings).</summary>
public sealed record ConfigRuleInvocation(
    [property: System.Text.Json.Serialization.JsonPropertyName("version")] string Version,
    [property: System.Text.Json.Serialization.JsonPropertyName("invokingEvent")] string InvokingEvent,
    [property: System.Text.Json.Serialization.JsonPropertyName("ruleParameters")] string? RuleParameters,
    [property: System.Text.Json.Serialization.JsonPropertyName("resultToken")] string ResultToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("eventLeftScope")] bool EventLeftScope,
    [property: System.Text.Json.Serialization.JsonPropertyName("configRuleArn")] string ConfigRuleArn,
    [property: System.Text.Json.Serialization.JsonPropertyName("configRuleName")] string ConfigRuleName,
    [property: System.Text.Json.Serialization.JsonPropertyName("configRuleId")] string ConfigRuleId,
    [property: System.Text.Json.Serialization.JsonPropertyName("accountId")] string AccountId);
