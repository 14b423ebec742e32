using static Platform.ConfigRules.Tests.Rules;

namespace Platform.ConfigRules.Tests;

/// <summary>CUSTOM_LAMBDA rules: the function receives the event AWS Config hands a Lambda function, and answers the evaluations.</summary>
public sealed class Lambda_rules
{
    /// <summary>The seed's put_config_rule call, as written.</summary>
    private const string SeedRule = """
        {"ConfigRuleName": "custom-s3-bucket-policy-check",
         "Description": "S3バケットポリシーのパブリックアクセスをチェック",
         "Source": {"Owner": "CUSTOM_LAMBDA",
                    "SourceIdentifier": "arn:aws:lambda:us-east-1:123456789012:function:config-rule-s3",
                    "SourceDetails": [{"EventSource": "aws.config", "MessageType": "ConfigurationItemChangeNotification"}]},
         "Scope": {"ComplianceResourceTypes": ["AWS::S3::Bucket"]}}
        """;

    [Fact]
    public void A_change_sends_a_configuration_item_change_notification_with_the_item_in_configs_shape_and_returns_the_answer()
    {
        var bucket = ConfigurationItemSamples.Sample("AWS_S3_Bucket.json");
        var answer = new RuleEvaluation("AWS::S3::Bucket", bucket.ResourceId, ComplianceTypes.Compliant, null, bucket.CaptureTime);
        var functions = new RecordingInvoker(answer);
        var rule = Compile(SeedRule, functions, "custom-s3-bucket-policy-check");

        var verdict = OnChange(rule, bucket);

        Assert.Equal(answer, verdict);
        var (function, invocation) = Assert.Single(functions.Calls);
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:config-rule-s3", function);
        Assert.Equal("1.0", invocation.Version);
        Assert.Equal("custom-s3-bucket-policy-check", invocation.ConfigRuleName);
        Assert.Equal("934654633380", invocation.AccountId);
        Assert.Matches("^config-rule-[0-9a-f]{6}$", invocation.ConfigRuleId);
        Assert.Equal($"arn:aws:config:us-east-1:934654633380:config-rule/{invocation.ConfigRuleId}", invocation.ConfigRuleArn);
        Assert.False(invocation.EventLeftScope);
        Assert.False(string.IsNullOrEmpty(invocation.ResultToken));
        Assert.Null(invocation.RuleParameters);
        var invokingEvent = JsonDocument.Parse(invocation.InvokingEvent).RootElement;
        Assert.Equal("ConfigurationItemChangeNotification", invokingEvent.GetProperty("messageType").GetString());
        var item = invokingEvent.GetProperty("configurationItem");
        // What the seed's Lambda function reads, and the envelope fields Config writes.
        Assert.Equal("AWS::S3::Bucket", item.GetProperty("resourceType").GetString());
        Assert.Equal("mborch-test-bucket-config-item", item.GetProperty("resourceId").GetString());
        Assert.Equal("2019-02-12T07:29:16.288Z", item.GetProperty("configurationItemCaptureTime").GetString());
        Assert.Contains("Deny", item.GetProperty("supplementaryConfiguration").GetProperty("BucketPolicy").GetProperty("policyText").GetString());
        Assert.Equal("934654633380", item.GetProperty("awsAccountId").GetString());
        Assert.Equal("arn:aws:s3:::mborch-test-bucket-config-item", item.GetProperty("ARN").GetString());
        Assert.Equal("OK", item.GetProperty("configurationItemStatus").GetString());
        Assert.Equal(1549956556288, item.GetProperty("configurationStateId").GetInt64());
        Assert.Equal("1.3", item.GetProperty("configurationItemVersion").GetString());
    }

    [Fact]
    public void The_item_has_the_fields_of_the_real_change_notifications_item()
    {
        var sample = JsonDocument.Parse(File.ReadAllText(SharedData.PathOf("data", "config-items", "awsConfigRuleConfigurationChanged.json"))).RootElement;
        var sampleItem = JsonDocument.Parse(sample.GetProperty("invokingEvent").GetString()!).RootElement.GetProperty("configurationItem");
        var functions = new RecordingInvoker();
        var rule = Compile("""{"Source": {"Owner": "CUSTOM_LAMBDA", "SourceIdentifier": "check", "SourceDetails": [{"MessageType": "ConfigurationItemChangeNotification"}]}}""", functions);

        _ = Evaluate(rule, new RuleInput("0123456789012", "us-east-1", ConfigurationItemSamples.Read(sampleItem.GetRawText()), [], Items.Now));

        var sent = JsonDocument.Parse(Assert.Single(functions.Calls).Invocation.InvokingEvent).RootElement.GetProperty("configurationItem");
        Assert.Equal(sampleItem.EnumerateObject().Select(p => p.Name).Order(), sent.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(sampleItem.GetProperty("configuration").GetRawText(), sent.GetProperty("configuration").GetRawText());
        Assert.Equal(sampleItem.GetProperty("configurationItemCaptureTime").GetString(), sent.GetProperty("configurationItemCaptureTime").GetString());
    }

    [Fact]
    public void A_scheduled_run_sends_a_scheduled_notification_with_the_rule_parameters()
    {
        var functions = new RecordingInvoker(new RuleEvaluation(ConfigurationItem.AccountResourceType, Items.Account, ComplianceTypes.Compliant, null, Items.Now));
        var rule = Compile("""
            {"Source": {"Owner": "CUSTOM_LAMBDA", "SourceIdentifier": "rule-ec2-test",
                        "SourceDetails": [{"EventSource": "aws.config", "MessageType": "ScheduledNotification", "MaximumExecutionFrequency": "Six_Hours"}]},
             "InputParameters": "{\"test\":\"x\"}"}
            """, functions);

        var verdict = Scheduled(rule);

        Assert.Equal(ComplianceTypes.Compliant, verdict.ComplianceType);
        Assert.Equal(TimeSpan.FromHours(6), rule.Frequency);
        Assert.False(rule.IsTriggeredBy(Items.Bucket(null)));
        var invocation = Assert.Single(functions.Calls).Invocation;
        Assert.Equal("""{"test":"x"}""", invocation.RuleParameters);
        var invokingEvent = JsonDocument.Parse(invocation.InvokingEvent).RootElement;
        Assert.Equal("ScheduledNotification", invokingEvent.GetProperty("messageType").GetString());
        Assert.Equal(Items.Account, invokingEvent.GetProperty("awsAccountId").GetString());
        Assert.Equal("2026-11-30T12:00:00.000Z", invokingEvent.GetProperty("notificationCreationTime").GetString());
    }

    [Fact]
    public void A_change_only_rule_is_not_invoked_on_a_schedule_nor_for_a_deleted_resource()
    {
        var functions = new RecordingInvoker();
        var rule = Compile(SeedRule, functions, "custom-s3-bucket-policy-check");

        Assert.Null(rule.Frequency);
        Assert.Empty(Evaluate(rule, new RuleInput(Items.Account, Items.Region, null, [], Items.Now)));
        Assert.Equal(ComplianceTypes.NotApplicable, OnChange(rule, Items.Deleted(Items.Bucket(null))).ComplianceType);
        Assert.Empty(functions.Calls);
    }
}
