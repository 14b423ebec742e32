namespace Platform.ConfigRules.Managed;

/// <summary>A rule whose <c>Source.Owner</c> is <c>AWS</c>: one of <see cref="ManagedRules"/> with its checked parameters.</summary>
internal sealed class ManagedConfigRule : ConfigRuleBase
{
    private readonly ManagedRule _rule;
    private readonly ManagedRuleArguments _arguments;

    private ManagedConfigRule(string name, ConfigRuleSpec spec, RuleScope scope, ManagedRule rule, ManagedRuleArguments arguments, TimeSpan? frequency)
        : base(name, spec, scope)
    {
        _rule = rule;
        _arguments = arguments;
        Frequency = frequency;
    }

    public override TimeSpan? Frequency { get; }

    public override IReadOnlyCollection<string> ContextResourceTypes => _rule.ContextResourceTypes;

    /// <summary>Periodic rules re-judge the account when an item they read changes; the others judge their types in scope.</summary>
    public override bool IsTriggeredBy(ConfigurationItem item) => _rule.IsPeriodic
        ? _rule.ContextResourceTypes.Contains(item.ResourceType)
        : _rule.ResourceTypes.Contains(item.ResourceType) && Scope.Matches(item);

    protected override bool JudgesChangedItem => !_rule.IsPeriodic;

    protected override ValueTask<IReadOnlyList<RuleEvaluation>> EvaluateTriggeredAsync(RuleInput input, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_rule.Evaluate(input, _arguments));

    internal static ManagedConfigRule? Compile(
        string name, ConfigRuleSpec spec, ConfigRuleSource source, RuleParameters parameters, RuleScope scope, TimeSpan? frequency, Action<string, string> fail)
    {
        if (source.SourceDetails is not null)
        {
            fail("Source.SourceDetails", "is only for custom rules: a managed rule's triggers are AWS's");
        }
        if (source.CustomPolicyDetails is not null)
        {
            fail("Source.CustomPolicyDetails", $"is only for {ConfigRuleCompiler.PolicyOwner} rules");
        }
        if (string.IsNullOrEmpty(source.SourceIdentifier))
        {
            fail("Source.SourceIdentifier", $"is required: the managed rule's identifier, one of {string.Join(", ", ManagedRules.All.Select(r => r.Identifier))}");
            return null;
        }
        if (ManagedRules.Find(source.SourceIdentifier) is not { } rule)
        {
            fail("Source.SourceIdentifier", $"'{source.SourceIdentifier}' is not a managed rule the platform runs: use one of {string.Join(", ", ManagedRules.All.Select(r => r.Identifier))}");
            return null;
        }
        if (!rule.IsPeriodic && spec.MaximumExecutionFrequency is not null)
        {
            fail("MaximumExecutionFrequency", $"{rule.Identifier} is triggered by configuration changes, not periodic: it takes no frequency");
        }
        if (!rule.IsPeriodic)
        {
            foreach (var type in scope.ResourceTypes.Where(t => !rule.ResourceTypes.Contains(t)))
            {
                fail("Scope.ComplianceResourceTypes", $"{rule.Identifier} judges only {string.Join(", ", rule.ResourceTypes)}, not {type}");
            }
        }
        var arguments = ManagedRuleArguments.Read(rule, parameters, fail);
        return new ManagedConfigRule(name, spec, scope, rule, arguments, rule.IsPeriodic ? frequency ?? ExecutionFrequencies.Default : null);
    }
}
