using Platform.Compliance.Evaluation;

namespace Platform.Compliance.Tests;

/// <summary>
/// The rules part's seam as evaluation's tests need it: small rules of the tests' own, chosen by
/// <c>Source.SourceIdentifier</c> (or <c>Owner: CUSTOM_LAMBDA</c>), each judging the resource types of its <c>Scope</c>.
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
        IConfigRule? rule = (spec.Source?.Owner, spec.Source?.SourceIdentifier) switch
        {
            ("CUSTOM_LAMBDA", { } function) => new FunctionRule(name, spec, function, functions),
            (_, Tagged) => new TaggedRule(name, spec),
            (_, TrailLogging) => new TrailLoggingRule(name, spec),
            _ => null,
        };
        return rule is null
            ? new ConfigRuleCompilation(null, [new ConfigRuleError("Source.SourceIdentifier", "is not a test rule")])
            : new ConfigRuleCompilation(rule, []);
    }

    public static ConfigRuleSpec Spec(string sourceIdentifier, string resourceType, string owner = "AWS", string? frequency = null) =>
        new(null, null, new ConfigRuleSource(owner, sourceIdentifier), Scope: new ConfigRuleScope([resourceType]), MaximumExecutionFrequency: frequency);

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

    /// <summary>Invokes its function as AWS Config invokes a custom Lambda rule on a configuration change.</summary>
    private sealed class FunctionRule(string name, ConfigRuleSpec spec, string function, IConfigRuleFunctionInvoker functions) : ScopedRule(name, spec)
    {
        public override async ValueTask<IReadOnlyList<RuleEvaluation>> EvaluateAsync(RuleInput input, CancellationToken cancellationToken)
        {
            var item = input.ChangedItem!;
            var invokingEvent = new JsonObject
            {
                ["configurationItem"] = new JsonObject
                {
                    ["resourceType"] = item.ResourceType, ["resourceId"] = item.ResourceId, ["awsRegion"] = item.AwsRegion,
                    ["configurationItemCaptureTime"] = item.CaptureTime.ToString("O"),
                },
                ["messageType"] = "ConfigurationItemChangeNotification",
            };
            return await functions.InvokeAsync(function, new ConfigRuleInvocation(
                "1.0", invokingEvent.ToJsonString(), "{}", "", false, $"arn:aws:config:us-east-1:{input.AwsAccountId}:config-rule/{Name}",
                Name, Name, input.AwsAccountId), cancellationToken);
        }
    }
}
