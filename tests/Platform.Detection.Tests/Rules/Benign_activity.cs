namespace Platform.Detection.Tests.Rules;

/// <summary>Everyday activity does not raise built-in findings.</summary>
public class Benign_activity
{
    [Theory]
    [InlineData("ec2.amazonaws.com", "DescribeInstances")]
    [InlineData("ec2.amazonaws.com", "DescribeSecurityGroups")]
    [InlineData("s3.amazonaws.com", "ListBuckets")]
    [InlineData("s3.amazonaws.com", "GetObject")]
    [InlineData("iam.amazonaws.com", "ListUsers")]
    [InlineData("iam.amazonaws.com", "GetRole")]
    [InlineData("sts.amazonaws.com", "GetCallerIdentity")]
    [InlineData("secretsmanager.amazonaws.com", "GetSecretValue")]
    [InlineData("ssm.amazonaws.com", "GetParameter")]
    [InlineData("ssm.amazonaws.com", "DescribeParameters")]
    [InlineData("lambda.amazonaws.com", "ListFunctions20150331")]
    [InlineData("bedrock.amazonaws.com", "ListFoundationModels")]
    [InlineData("cloudtrail.amazonaws.com", "DescribeTrails")]
    [InlineData("kms.amazonaws.com", "Decrypt")]
    public void A_single_read_only_call_by_a_user_or_role_raises_nothing(string eventSource, string eventName)
    {
        Assert.Empty(RuleHarness.ReportingRuleKeys(RuleHarness.Builtin, Records.CloudTrail(eventSource, eventName, readOnly: true)));
        Assert.Empty(RuleHarness.ReportingRuleKeys(RuleHarness.Builtin, Records.CloudTrail(eventSource, eventName, identity: Records.AssumedRole, readOnly: true)));
    }

    [Fact]
    public async Task An_application_reading_its_few_secrets_and_parameters_repeatedly_raises_nothing()
    {
        var events = Enumerable.Range(0, 60).SelectMany(i => new[]
        {
            Records.CloudTrailAt(i * 5, Records.CloudTrail("secretsmanager.amazonaws.com", "GetSecretValue", $$"""{"secretId":"prod/db-{{i % 3}}"}""", Records.AssumedRole, readOnly: true)),
            Records.CloudTrailAt(i * 5 + 1, Records.CloudTrail("ssm.amazonaws.com", "GetParameter", $$"""{"name":"/prod/api-key-{{i % 2}}","withDecryption":true}""", Records.AssumedRole, readOnly: true)),
        });

        Assert.Empty(await RuleHarness.ReportedRuleKeysAsync(RuleHarness.Builtin, events));
    }

    [Fact]
    public void A_successful_console_login_with_MFA_raises_nothing_from_any_shipped_rule()
    {
        Assert.Empty(RuleHarness.ReportingRuleKeys(RuleHarness.Shipped, Records.ConsoleLoginSuccessWithMfa("198.51.100.20")));
    }

    [Fact]
    public void A_successful_console_login_without_MFA_is_left_to_SigmaHQ()
    {
        var record = Records.ConsoleLoginSuccessWithMfa("198.51.100.20").Replace("\"MFAUsed\":\"Yes\"", "\"MFAUsed\":\"NO\"", StringComparison.Ordinal);

        Assert.Equal([RuleIds.SigmaHqConsoleLoginWithoutMfa], RuleHarness.ReportingRuleKeys(RuleHarness.Shipped, record));
    }

    [Fact]
    public void A_root_action_invoked_by_an_AWS_service_is_not_root_activity()
    {
        var record = Records.CloudTrail("kms.amazonaws.com", "GenerateDataKey", identity: $$"""{"type":"Root","principalId":"{{Records.Account}}","arn":"arn:aws:iam::{{Records.Account}}:root","accountId":"{{Records.Account}}","invokedBy":"s3.amazonaws.com"}""");

        Assert.DoesNotContain(RuleIds.RootUserActivity, RuleHarness.ReportingRuleKeys(RuleHarness.Builtin, record));
    }

    [Fact]
    public async Task The_plain_CloudTrail_log_file_raises_a_signal_and_no_alert()
    {
        // The file holds an EC2-invoked AssumeRole (AWSService identity) and an ECR BatchGetImage by an assumed role,
        // which SigmaHQ's AssumeRole misuse rule matches: a signal (its override), not an alert.
        var records = RuleHarness.CloudTrailLogFile(SharedData.PathOf("data", "cloudtrail", "cloudtrail-log-file.json.gz"));
        var reported = await RuleHarness.ReportedRuleKeysAsync(RuleHarness.Shipped, records);

        Assert.Equal(2, records.Count);
        Assert.Equal([RuleIds.SigmaHqAssumeRoleMisuse], reported);
        Assert.Empty(RuleHarness.Alerts(reported));
    }

    [Fact]
    public async Task The_read_only_noise_of_the_Stratus_samples_raises_no_built_in_finding()
    {
        var readOnly = Directory.GetFiles(SharedData.StratusDirectory, "*.json")
            .SelectMany(f => RuleHarness.StratusRecords(Path.GetFileName(f)))
            .Where(e => e.Document.GetProperty("readOnly").GetBoolean()
                        && !e.Document.TryGetProperty("errorCode", out _)
                        && e.Document.GetProperty("eventName").GetString() is not ("GetPasswordData" or "BatchGetSecretValue" or "GetParameters" or "DescribeParameters" or "InvokeModel"))
            .ToList();

        Assert.NotEmpty(readOnly);
        Assert.Empty(await RuleHarness.ReportedRuleKeysAsync(RuleHarness.Builtin, readOnly));
    }

    [Fact]
    public async Task The_sample_VPC_flow_log_raises_no_finding()
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(SharedData.PathOf("data", "vpc-flow-logs", "vpcflowlog.log.gz")), CompressionMode.Decompress));
        var header = (await reader.ReadLineAsync())!.Split(' ');
        var events = new List<LogEvent>();
        while (await reader.ReadLineAsync() is { } line)
        {
            var values = line.Split(' ');
            var members = header.Zip(values, (name, value) => long.TryParse(value, out _) && name is not ("account-id" or "interface-id") ? $"\"{name}\":{value}" : $"\"{name}\":\"{value}\"");
            events.Add(LogEvent.Json(SigmaLogSources.VpcFlowLogs, DateTimeOffset.FromUnixTimeSeconds(long.Parse(values[10])), $"flow-{events.Count}", "{" + string.Join(',', members) + "}"));
        }

        Assert.Equal(3, events.Count);
        Assert.Empty(await RuleHarness.ReportedRuleKeysAsync(RuleHarness.Shipped, events));
    }
}
