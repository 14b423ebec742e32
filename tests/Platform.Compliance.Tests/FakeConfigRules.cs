namespace Platform.Compliance.Tests;

/// <summary>
/// The rules part's seam as evaluation's tests need it: small rules of the tests' own, chosen by
/// <c>Source.SourceIdentifier</c>, each judging the resource types of its <c>Scope</c> on a tag or a trail's status the
/// test sets directly; any other spec (a <c>CUSTOM_LAMBDA</c> rule, a managed rule) is compiled by the real library.
/// </summary>
public sealed class FakeConfigRuleCompiler(IConfigRuleFunctionInvoker functions) : IConfigRuleCompiler
{
    /// <summary>COMPLIANT when the resource has the tag <c>compliant=true</c>.</summary>
    public const string Tagged = "TEST_TAGGED_COMPLIANT";

    /// <summary>Periodic, per account: COMPLIANT when one of its trails is logging (a trail without TrailStatus counts as logging).</summary>
    public const string TrailLogging = "TEST_TRAIL_LOGGING";

    public const string TrailType = "AWS::CloudTrail::Trail";

    public ConfigRuleCompilation Compile(string name, ConfigRuleSpec spec)
    {
        IConfigRule? rule = spec.Source?.SourceIdentifier switch
        {
            Tagged => new TaggedRule(name, spec),
            TrailLogging => new TrailLoggingRule(name, spec),
            _ => null,
        };
        return rule is null ? ConfigRuleCompiler.Compile(name, spec, functions) : new ConfigRuleCompilation(rule, []);
    }

    public static ConfigRuleSpec Spec(string sourceIdentifier, string resourceType, string? frequency = null) =>
        new(null, null, new ConfigRuleSource("AWS", sourceIdentifier), Scope: new ConfigRuleScope([resourceType]), MaximumExecutionFrequency: frequency);

    /// <summary>A <c>CUSTOM_LAMBDA</c> rule as <c>put_config_rule</c> takes it, invoked on each change of <paramref name="resourceType"/>.</summary>
    public static ConfigRuleSpec FunctionSpec(string function, string resourceType) =>
        new(null, null, new ConfigRuleSource("CUSTOM_LAMBDA", function, [new ConfigRuleSourceDetail("aws.config", "ConfigurationItemChangeNotification")]),
            Scope: new ConfigRuleScope([resourceType]));

    private abstract class ScopedRule(string name, ConfigRuleSpec spec) : IConfigRule
    {
        public string Name => name;

        public ConfigRuleSpec Spec => spec;

        public virtual TimeSpan? Frequency => null;

        public virtual IReadOnlyCollection<string> ContextResourceTypes => [];

        public virtual bool IsTriggeredBy(ConfigurationItem item) => spec.Scope?.ComplianceResourceTypes?.Contains(item.ResourceType) == true;

        public abstract ValueTask<IReadOnlyList<RuleEvaluation>> EvaluateAsync(RuleInput input, CancellationToken cancellationToken);
    }

    private sealed class TaggedRule(string name, ConfigRuleSpec spec) : ScopedRule(name, spec)
    {
        public override ValueTask<IReadOnlyList<RuleEvaluation>> EvaluateAsync(RuleInput input, CancellationToken cancellationToken)
        {
            var item = input.ChangedItem!;
            var compliant = item.Tags.TryGetValue("compliant", out var value) && value == "true";
            return ValueTask.FromResult<IReadOnlyList<RuleEvaluation>>([new RuleEvaluation(item.ResourceType, item.ResourceId,
                compliant ? ComplianceTypes.Compliant : ComplianceTypes.NonCompliant, compliant ? null : "The resource is not tagged compliant.",
                item.CaptureTime)]);
        }
    }

    private sealed class TrailLoggingRule(string name, ConfigRuleSpec spec) : ScopedRule(name, spec)
    {
        public override TimeSpan? Frequency => TimeSpan.FromHours(24);

        public override IReadOnlyCollection<string> ContextResourceTypes => [TrailType];

        public override bool IsTriggeredBy(ConfigurationItem item) => false;

        public override ValueTask<IReadOnlyList<RuleEvaluation>> EvaluateAsync(RuleInput input, CancellationToken cancellationToken)
        {
            var logging = input.AccountItems.Any(i => i.ResourceType == TrailType && !i.IsDeleted
                && !(i.SupplementaryConfiguration is { } s && s.TryGetProperty("TrailStatus", out var status)
                     && status.TryGetProperty("IsLogging", out var isLogging) && isLogging.ValueKind == JsonValueKind.False));
            return ValueTask.FromResult<IReadOnlyList<RuleEvaluation>>([new RuleEvaluation(ConfigurationItem.AccountResourceType, input.AwsAccountId,
                logging ? ComplianceTypes.Compliant : ComplianceTypes.NonCompliant, logging ? null : "No trail is logging.", input.Now)]);
        }
    }
}
