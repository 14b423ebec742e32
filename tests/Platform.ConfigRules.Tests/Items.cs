namespace Platform.ConfigRules.Tests;

/// <summary>Configuration items for the tests: the real samples in ../shared/data/config-items, and items written in AWS's shapes.</summary>
internal static class Items
{
    public const string Account = "123456789012";
    public const string Region = "us-east-1";
    public static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    /// <summary>An item of <paramref name="type"/> with the given configuration and supplementary configuration (JSON).</summary>
    public static ConfigurationItem Of(
        string type, string id, string? configuration = "{}", string? supplementary = null, string status = "OK",
        string account = Account, string region = Region, IReadOnlyDictionary<string, string>? tags = null) =>
        new(type, id, id, account, region, null, null, Now.AddMinutes(-5), status, "1", null,
            configuration is null ? null : JsonDocument.Parse(configuration).RootElement,
            supplementary is null ? null : JsonDocument.Parse(supplementary).RootElement,
            tags ?? new Dictionary<string, string>(), []);

    public static ConfigurationItem Bucket(string? supplementary, string name = "my-bucket", IReadOnlyDictionary<string, string>? tags = null) =>
        Of("AWS::S3::Bucket", name, $$"""{"name": "{{name}}"}""", supplementary, tags: tags);

    /// <summary>The account's item, as intake records an account snapshot.</summary>
    public static ConfigurationItem AccountItem(string configuration, string account = Account) =>
        Of(ConfigurationItem.AccountResourceType, account, configuration, account: account);

    public static ConfigurationItem Trail(string name, string? trailStatus = null, string region = Region, bool multiRegion = false, string extra = "") =>
        Of("AWS::CloudTrail::Trail", name,
            $$"""{"name": "{{name}}", "s3BucketName": "trail-logs", "isMultiRegionTrail": {{(multiRegion ? "true" : "false")}}{{extra}}}""",
            trailStatus is null ? "{}" : $$"""{"TrailStatus": {{trailStatus}}}""", region: region);

    public static ConfigurationItem Deleted(ConfigurationItem item) => item with { Status = "ResourceDeleted", Configuration = null };
}

/// <summary>Compiling and running rules in the tests.</summary>
internal static class Rules
{
    public static IConfigRule Compile(string json, IConfigRuleFunctionInvoker? functions = null, string name = "rule")
    {
        var spec = JsonSerializer.Deserialize<ConfigRuleSpec>(json)!;
        var compilation = ConfigRuleCompiler.Compile(name, spec, functions ?? new RecordingInvoker());
        Assert.True(compilation.Errors.Count == 0, string.Join("; ", compilation.Errors));
        return compilation.Rule!;
    }

    public static IReadOnlyList<ConfigRuleError> Errors(string json, string name = "rule") =>
        ConfigRuleCompiler.Compile(name, JsonSerializer.Deserialize<ConfigRuleSpec>(json)!, new RecordingInvoker()).Errors;

    public static IConfigRule AwsRule(string identifier, string? parameters = null) =>
        Compile($$"""{"Source": {"Owner": "AWS", "SourceIdentifier": "{{identifier}}"}{{(parameters is null ? "" : $", \"InputParameters\": {parameters}")}}}""");

    /// <summary>Everything the rule answers for <paramref name="input"/>.</summary>
    public static IReadOnlyList<RuleEvaluation> Evaluate(IConfigRule rule, RuleInput input) => rule.EvaluateAsync(input, default).AsTask().Result;

    /// <summary>The rule's verdict on a change to <paramref name="item"/>.</summary>
    public static RuleEvaluation OnChange(IConfigRule rule, ConfigurationItem item, params ConfigurationItem[] accountItems) =>
        Assert.Single(Evaluate(rule, new RuleInput(item.AwsAccountId, item.AwsRegion, item, accountItems, Items.Now)));

    /// <summary>The rule's verdict on a scheduled run over <paramref name="accountItems"/>.</summary>
    public static RuleEvaluation Scheduled(IConfigRule rule, params ConfigurationItem[] accountItems) =>
        Assert.Single(Evaluate(rule, new RuleInput(Items.Account, Items.Region, null, accountItems, Items.Now)));
}

/// <summary>A function invoker that records the invocations and answers what it is told.</summary>
internal sealed class RecordingInvoker(params RuleEvaluation[] answer) : IConfigRuleFunctionInvoker
{
    public List<(string Function, ConfigRuleInvocation Invocation)> Calls { get; } = [];

    public Task<IReadOnlyList<RuleEvaluation>> InvokeAsync(string function, ConfigRuleInvocation invocation, CancellationToken cancellationToken)
    {
        Calls.Add((function, invocation));
        return Task.FromResult<IReadOnlyList<RuleEvaluation>>(answer);
    }
}
