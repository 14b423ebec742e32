namespace Platform.ConfigRules.Functions;

/// <summary>
/// A rule whose <c>Source.Owner</c> is <c>CUSTOM_LAMBDA</c>: its function (<c>SourceIdentifier</c>, a function of the
/// <c>functions</c> kind named by ARN or name) receives the event Lambda would receive from AWS Config and answers the
/// evaluations, as <c>put_evaluations</c> takes them. A change sends a <c>ConfigurationItemChangeNotification</c> with the
/// item; a scheduled run a <c>ScheduledNotification</c>.
/// </summary>
internal sealed class FunctionConfigRule : ConfigRuleBase
{
    /// <summary>AWS's limit on a function's ARN.</summary>
    public const int MaxFunctionLength = 256;

    private static readonly string[] MessageTypes = [ChangeNotification, OversizedChangeNotification, ScheduledNotification, SnapshotDelivered];

    private readonly string _function;
    private readonly RuleParameters _parameters;
    private readonly bool _onChange;
    private readonly IConfigRuleFunctionInvoker _functions;
    private readonly string _ruleId;

    private FunctionConfigRule(
        string name, ConfigRuleSpec spec, RuleScope scope, string function, RuleParameters parameters, Triggers triggers, IConfigRuleFunctionInvoker functions)
        : base(name, spec, scope)
    {
        _function = function;
        _parameters = parameters;
        _onChange = triggers.OnChange;
        Frequency = triggers.Frequency;
        _functions = functions;
        _ruleId = RuleId(name);
    }

    public override TimeSpan? Frequency { get; }

    public override bool IsTriggeredBy(ConfigurationItem item) => _onChange && Scope.Matches(item);

    protected override async ValueTask<IReadOnlyList<RuleEvaluation>> EvaluateTriggeredAsync(RuleInput input, CancellationToken cancellationToken)
    {
        if (input.ChangedItem is null && Frequency is null)
        {
            return [];
        }
        return await _functions.InvokeAsync(_function, Invocation(input), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The event AWS Config hands the function for <paramref name="input"/>.</summary>
    internal ConfigRuleInvocation Invocation(RuleInput input)
    {
        var invokingEvent = new JsonObject();
        if (input.ChangedItem is { } item)
        {
            invokingEvent["configurationItemDiff"] = null;
            invokingEvent["configurationItem"] = JsonNode.Parse(ConfigurationItemDocument.Of(item).GetRawText());
            invokingEvent["notificationCreationTime"] = ConfigurationItemDocument.Time(input.Now);
            invokingEvent["messageType"] = ChangeNotification;
            invokingEvent["recordVersion"] = ConfigurationItemDocument.ItemVersion;
        }
        else
        {
            invokingEvent["awsAccountId"] = input.AwsAccountId;
            invokingEvent["notificationCreationTime"] = ConfigurationItemDocument.Time(input.Now);
            invokingEvent["messageType"] = ScheduledNotification;
            invokingEvent["recordVersion"] = "1.0";
        }
        return new ConfigRuleInvocation(
            Version: "1.0",
            InvokingEvent: invokingEvent.ToJsonString(),
            RuleParameters: _parameters.Json,
            ResultToken: Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
            EventLeftScope: false,
            ConfigRuleArn: $"arn:aws:config:{input.AwsRegion}:{input.AwsAccountId}:config-rule/{_ruleId}",
            ConfigRuleName: Name,
            ConfigRuleId: _ruleId,
            AccountId: input.AwsAccountId);
    }

    /// <summary>A stable id in Config's form (<c>config-rule-i9y8j9</c>), from the rule's name.</summary>
    private static string RuleId(string name)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name));
        return "config-rule-" + Convert.ToHexStringLower(hash.AsSpan(0, 3));
    }

    internal static FunctionConfigRule? Compile(
        string name, ConfigRuleSpec spec, ConfigRuleSource source, RuleParameters parameters, RuleScope scope, TimeSpan? frequency,
        IConfigRuleFunctionInvoker functions, Action<string, string> fail)
    {
        if (source.CustomPolicyDetails is not null)
        {
            fail("Source.CustomPolicyDetails", $"is only for {ConfigRuleCompiler.PolicyOwner} rules");
        }
        var triggers = ReadSourceDetails(source, spec, frequency, MessageTypes, fail);
        if (string.IsNullOrWhiteSpace(source.SourceIdentifier) || source.SourceIdentifier.Length > MaxFunctionLength)
        {
            fail("Source.SourceIdentifier", $"is required: the function's ARN or name (a function of the functions kind), at most {MaxFunctionLength} characters");
            return null;
        }
        return new FunctionConfigRule(name, spec, scope, source.SourceIdentifier, parameters, triggers, functions);
    }
}
