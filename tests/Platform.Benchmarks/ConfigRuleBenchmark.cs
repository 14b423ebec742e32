using Platform.ConfigRules;
using Platform.Contracts.Compliance;
using Platform.Contracts.Provisioning;

namespace Platform.Benchmarks;

/// <summary>
/// Config rule evaluation: every real configuration item in ../shared/data/config-items that is one (71 files, 71 resource types) through
/// all the seed's rules (the five managed rules and the built-in bucket policy check), each rule asked whether the
/// item's change triggers it and, when it does, judging it with the account's trail and account items as context, as
/// the compliance service runs them on a recorded change. The items are read once and cycled. Results are per item
/// (OperationsPerInvoke), on one thread.
/// <code>dotnet run -c Release --project tests/Platform.Benchmarks -- --filter '*ConfigRule*'</code>
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class ConfigRuleBenchmark
{
    private const int Items = 10_000;

    /// <summary>The seed stack's config rules (services/Platform.Provisioning/Stacks/seed.yaml), as put_config_rule specs.</summary>
    private static readonly string[] SeedRules =
    [
        """{"Source": {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED"}}""",
        """{"Source": {"Owner": "AWS", "SourceIdentifier": "EC2_INSTANCE_NO_PUBLIC_IP"}}""",
        """{"Source": {"Owner": "AWS", "SourceIdentifier": "IAM_PASSWORD_POLICY"}}""",
        """{"Source": {"Owner": "AWS", "SourceIdentifier": "ROOT_ACCOUNT_MFA_ENABLED"}}""",
        """{"Source": {"Owner": "AWS", "SourceIdentifier": "CLOUD_TRAIL_ENABLED"}}""",
        """
        {"Source": {"Owner": "CUSTOM_POLICY", "SourceDetails": [{"EventSource": "aws.config", "MessageType": "ConfigurationItemChangeNotification"}],
                    "CustomPolicyDetails": {"PolicyRuntime": "builtin", "PolicyText": "s3-bucket-policy-public-access"}},
         "Scope": {"ComplianceResourceTypes": ["AWS::S3::Bucket"]}}
        """,
    ];

    private IConfigRule[] _rules = [];
    private RuleInput[] _inputs = [];

    [GlobalSetup]
    public void Setup()
    {
        _rules = [.. SeedRules.Select((json, i) => ConfigRuleCompiler.Compile($"seed-{i}", JsonSerializer.Deserialize<ConfigRuleSpec>(json)!, NoFunctions.Instance).Rule!)];
        var samples = ConfigurationItemSamples.All().ToArray();
        var accounts = samples.Select(s => s.AwsAccountId).Distinct().ToArray();
        // Each account's context: its trails from the samples, and an account snapshot with a password policy and root MFA.
        var context = accounts.ToDictionary(a => a, a => (IReadOnlyList<ConfigurationItem>)
        [
            .. samples.Where(s => s.AwsAccountId == a && s.ResourceType == "AWS::CloudTrail::Trail"),
            ConfigurationItemSamples.Read($$$"""
                {"resourceType": "AWS::::Account", "resourceId": "{{{a}}}", "awsAccountId": "{{{a}}}", "awsRegion": "us-east-1",
                 "configurationItemCaptureTime": "2026-11-30T12:00:00Z", "configurationItemStatus": "OK",
                 "configuration": {"PasswordPolicy": {"MinimumPasswordLength": 14, "RequireSymbols": true, "RequireNumbers": true,
                   "RequireUppercaseCharacters": true, "RequireLowercaseCharacters": true, "MaxPasswordAge": 90, "PasswordReusePrevention": 24},
                   "SummaryMap": {"AccountMFAEnabled": 1} } }
                """),
        ]);
        var now = DateTimeOffset.UtcNow;
        _inputs = [.. Enumerable.Range(0, Items).Select(i => samples[i % samples.Length]).Select(item =>
            new RuleInput(item.AwsAccountId, item.AwsRegion, item, context[item.AwsAccountId], now))];

        Console.WriteLine($"// {_rules.Length} rules, {samples.Length} distinct items of {samples.Select(s => s.ResourceType).Distinct().Count()} types, " +
                          $"{Evaluate()} evaluations per {Items} items");
    }

    /// <summary>All the seed's rules on each item's change.</summary>
    [Benchmark(OperationsPerInvoke = Items)]
    public int Evaluate()
    {
        var evaluations = 0;
        foreach (var input in _inputs)
        {
            foreach (var rule in _rules)
            {
                if (rule.IsTriggeredBy(input.ChangedItem!))
                {
                    evaluations += rule.EvaluateAsync(input, CancellationToken.None).Result.Count;
                }
            }
        }
        return evaluations;
    }

    /// <summary>The seed's rules call no function.</summary>
    private sealed class NoFunctions : IConfigRuleFunctionInvoker
    {
        public static readonly NoFunctions Instance = new();

        public Task<IReadOnlyList<RuleEvaluation>> InvokeAsync(string function, ConfigRuleInvocation invocation, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the seed's rules call no function");
    }
}
