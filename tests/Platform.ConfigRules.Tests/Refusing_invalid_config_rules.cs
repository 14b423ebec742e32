using static Platform.ConfigRules.Tests.Rules;

namespace Platform.ConfigRules.Tests;

/// <summary>put_config_rule's rules, each error naming its field under the spec and the reason.</summary>
public sealed class Refusing_invalid_config_rules
{
    private static ConfigRuleError Single(string json, string name = "rule") => Assert.Single(Errors(json, name));

    [Theory]
    [InlineData("S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED")]
    [InlineData("EC2_INSTANCE_NO_PUBLIC_IP")]
    [InlineData("IAM_PASSWORD_POLICY")]
    [InlineData("ROOT_ACCOUNT_MFA_ENABLED")]
    [InlineData("CLOUD_TRAIL_ENABLED")]
    public void The_seeds_managed_rules_compile_as_written(string identifier)
    {
        var rule = Compile($$$"""{"ConfigRuleName": "seed", "Source": {"Owner": "AWS", "SourceIdentifier": "{{{identifier}}}"}}""", name: "seed");

        Assert.Equal("seed", rule.Name);
        Assert.Equal(identifier, rule.Spec.Source!.SourceIdentifier);
    }

    [Theory]
    [InlineData("""{"Source": null}""", "Source", "is required")]
    [InlineData("""{"Source": {}}""", "Source.Owner", "is required")]
    [InlineData("""{"Source": {"Owner": "AWS_LAMBDA"}}""", "Source.Owner", "unknown owner 'AWS_LAMBDA'")]
    [InlineData("""{"Source": {"Owner": "AWS"}}""", "Source.SourceIdentifier", "is required")]
    [InlineData("""{"Source": {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_VERSIONING_ENABLED"}}""", "Source.SourceIdentifier", "not a managed rule the platform runs")]
    [InlineData("""{"Source": {"Owner": "AWS", "SourceIdentifier": "EC2_INSTANCE_NO_PUBLIC_IP", "SourceDetails": []}}""", "Source.SourceDetails", "only for custom rules")]
    [InlineData("""{"Source": {"Owner": "AWS", "SourceIdentifier": "EC2_INSTANCE_NO_PUBLIC_IP"}, "MaximumExecutionFrequency": "One_Hour"}""", "MaximumExecutionFrequency", "takes no frequency")]
    [InlineData("""{"Source": {"Owner": "AWS", "SourceIdentifier": "CLOUD_TRAIL_ENABLED"}, "MaximumExecutionFrequency": "Two_Hours"}""", "MaximumExecutionFrequency", "unknown frequency 'Two_Hours'")]
    [InlineData("""{"Source": {"Owner": "AWS", "SourceIdentifier": "EC2_INSTANCE_NO_PUBLIC_IP"}, "Scope": {"ComplianceResourceTypes": ["AWS::S3::Bucket"]}}""", "Scope.ComplianceResourceTypes", "judges only AWS::EC2::Instance")]
    [InlineData("""{"ConfigRuleName": "other", "Source": {"Owner": "AWS", "SourceIdentifier": "CLOUD_TRAIL_ENABLED"}}""", "ConfigRuleName", "differs from the resource's name 'rule'")]
    public void A_wrong_source_or_setting_is_refused_naming_the_field(string json, string field, string reason)
    {
        var error = Single(json);

        Assert.Equal(field, error.Field);
        Assert.Contains(reason, error.Reason);
    }

    [Theory]
    [InlineData("""{"MinimumPasswordLength": "5"}""", "InputParameters.MinimumPasswordLength", "5 is out of range: 6 to 128")]
    [InlineData("""{"MinimumPasswordLength": 129}""", "InputParameters.MinimumPasswordLength", "129 is out of range: 6 to 128")]
    [InlineData("""{"MaxPasswordAge": "ninety"}""", "InputParameters.MaxPasswordAge", "'ninety' is not a whole number")]
    [InlineData("""{"PasswordReusePrevention": "25"}""", "InputParameters.PasswordReusePrevention", "25 is out of range: 1 to 24")]
    [InlineData("""{"RequireSymbols": "True"}""", "InputParameters.RequireSymbols", "'True' is not a boolean")]
    [InlineData("""{"RequireSymbol": "true"}""", "InputParameters.RequireSymbol", "is not a parameter of IAM_PASSWORD_POLICY: it takes RequireUppercaseCharacters, ")]
    [InlineData("""{"RequireSymbols": ["true"]}""", "InputParameters.RequireSymbols", "must be a string, a number or a boolean")]
    [InlineData("\"{\\\"MinimumPasswordLength\\\": \"", "InputParameters", "is not JSON")]
    [InlineData("\"[14]\"", "InputParameters", "must be a JSON object")]
    [InlineData("14", "InputParameters", "must be a JSON object")]
    public void Parameters_are_checked_against_the_managed_rules_documented_ones(string parameters, string field, string reason)
    {
        var error = Single($$"""{"Source": {"Owner": "AWS", "SourceIdentifier": "IAM_PASSWORD_POLICY"}, "InputParameters": {{parameters}}}""");

        Assert.Equal(field, error.Field);
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void A_managed_rule_without_parameters_refuses_any()
    {
        var error = Single("""{"Source": {"Owner": "AWS", "SourceIdentifier": "ROOT_ACCOUNT_MFA_ENABLED"}, "InputParameters": "{\"x\": \"1\"}"}""");

        Assert.Equal(("InputParameters.x", "is not a parameter of ROOT_ACCOUNT_MFA_ENABLED: it takes none"), (error.Field, error.Reason));
    }

    [Fact]
    public void Parameters_as_a_string_and_as_an_object_both_compile() =>
        Assert.Equal(
            Errors("""{"Source": {"Owner": "AWS", "SourceIdentifier": "IAM_PASSWORD_POLICY"}, "InputParameters": "{\"MinimumPasswordLength\":\"14\",\"RequireSymbols\":\"true\"}"}"""),
            Errors("""{"Source": {"Owner": "AWS", "SourceIdentifier": "IAM_PASSWORD_POLICY"}, "InputParameters": {"MinimumPasswordLength": 14, "RequireSymbols": true}}"""));

    [Theory]
    [InlineData("""{"ComplianceResourceId": "my-bucket"}""", "Scope.ComplianceResourceId", "needs exactly one resource type")]
    [InlineData("""{"ComplianceResourceTypes": ["AWS::S3::Bucket", "AWS::EC2::Instance"], "ComplianceResourceId": "my-bucket"}""", "Scope.ComplianceResourceId", "(there are 2)")]
    [InlineData("""{"TagValue": "prod"}""", "Scope.TagValue", "needs TagKey")]
    [InlineData("""{"ComplianceResourceTypes": ["S3 bucket"]}""", "Scope.ComplianceResourceTypes[0]", "is not a resource type")]
    public void Scope_follows_awss_rules(string scope, string field, string reason)
    {
        var error = Single($$"""{"Source": {"Owner": "CUSTOM_LAMBDA", "SourceIdentifier": "f", "SourceDetails": [{"EventSource": "aws.config", "MessageType": "ConfigurationItemChangeNotification"}]}, "Scope": {{scope}}}""");

        Assert.Equal(field, error.Field);
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void Scope_by_one_resource_judges_only_it()
    {
        var rule = Compile("""{"Source": {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED"}, "Scope": {"ComplianceResourceTypes": ["AWS::S3::Bucket"], "ComplianceResourceId": "my-bucket"}}""");

        Assert.True(rule.IsTriggeredBy(Items.Bucket(null, "my-bucket")));
        Assert.False(rule.IsTriggeredBy(Items.Bucket(null, "other-bucket")));
    }

    [Theory]
    [InlineData("""{"Owner": "CUSTOM_LAMBDA", "SourceDetails": [{"MessageType": "ConfigurationItemChangeNotification"}]}""", "Source.SourceIdentifier", "is required")]
    [InlineData("""{"Owner": "CUSTOM_LAMBDA", "SourceIdentifier": "f"}""", "Source.SourceDetails", "is required for a custom rule")]
    [InlineData("""{"Owner": "CUSTOM_LAMBDA", "SourceIdentifier": "f", "SourceDetails": [{"EventSource": "aws.s3", "MessageType": "ConfigurationItemChangeNotification"}]}""", "Source.SourceDetails[0].EventSource", "the only one is aws.config")]
    [InlineData("""{"Owner": "CUSTOM_LAMBDA", "SourceIdentifier": "f", "SourceDetails": [{"EventSource": "aws.config"}]}""", "Source.SourceDetails[0].MessageType", "is required")]
    [InlineData("""{"Owner": "CUSTOM_LAMBDA", "SourceIdentifier": "f", "SourceDetails": [{"EventSource": "aws.config", "MessageType": "Changed"}]}""", "Source.SourceDetails[0].MessageType", "'Changed' is not a message type")]
    [InlineData("""{"Owner": "CUSTOM_LAMBDA", "SourceIdentifier": "f", "SourceDetails": [{"EventSource": "aws.config", "MessageType": "ConfigurationItemChangeNotification", "MaximumExecutionFrequency": "One_Hour"}]}""", "Source.SourceDetails[0].MaximumExecutionFrequency", "applies only to the ScheduledNotification")]
    [InlineData("""{"Owner": "CUSTOM_LAMBDA", "SourceIdentifier": "f", "SourceDetails": [{"EventSource": "aws.config", "MessageType": "ScheduledNotification", "MaximumExecutionFrequency": "Hourly"}]}""", "Source.SourceDetails[0].MaximumExecutionFrequency", "unknown frequency 'Hourly'")]
    [InlineData("""{"Owner": "CUSTOM_POLICY", "SourceDetails": [{"EventSource": "aws.config", "MessageType": "ScheduledNotification"}], "CustomPolicyDetails": {"PolicyRuntime": "builtin", "PolicyText": "s3-bucket-policy-public-access"}}""", "Source.SourceDetails[0].MessageType", "not a message type of this rule")]
    [InlineData("""{"Owner": "CUSTOM_POLICY", "SourceDetails": [{"MessageType": "ConfigurationItemChangeNotification"}]}""", "Source.CustomPolicyDetails", "is required")]
    [InlineData("""{"Owner": "CUSTOM_POLICY", "SourceDetails": [{"MessageType": "ConfigurationItemChangeNotification"}], "CustomPolicyDetails": {"PolicyRuntime": "guard-2.x.x", "PolicyText": "rule x {}"}}""", "Source.CustomPolicyDetails.PolicyRuntime", "unknown runtime 'guard-2.x.x'")]
    [InlineData("""{"Owner": "CUSTOM_POLICY", "SourceDetails": [{"MessageType": "ConfigurationItemChangeNotification"}], "CustomPolicyDetails": {"PolicyRuntime": "builtin", "PolicyText": "no-such-policy"}}""", "Source.CustomPolicyDetails.PolicyText", "not a built-in policy")]
    [InlineData("""{"Owner": "CUSTOM_POLICY", "SourceIdentifier": "x", "SourceDetails": [{"MessageType": "ConfigurationItemChangeNotification"}], "CustomPolicyDetails": {"PolicyRuntime": "builtin", "PolicyText": "s3-bucket-policy-public-access"}}""", "Source.SourceIdentifier", "not taken by CUSTOM_POLICY rules")]
    public void Custom_sources_follow_put_config_rules_rules(string source, string field, string reason)
    {
        var error = Single($$"""{"Source": {{source}}}""");

        Assert.Equal(field, error.Field);
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void A_top_level_frequency_applies_to_periodic_triggers_and_is_refused_on_change_only_custom_rules()
    {
        var periodic = Compile("""{"Source": {"Owner": "CUSTOM_LAMBDA", "SourceIdentifier": "f", "SourceDetails": [{"EventSource": "aws.config", "MessageType": "ScheduledNotification"}]}, "MaximumExecutionFrequency": "Three_Hours"}""");
        var managed = AwsRule("CLOUD_TRAIL_ENABLED");
        var error = Single("""{"Source": {"Owner": "CUSTOM_LAMBDA", "SourceIdentifier": "f", "SourceDetails": [{"EventSource": "aws.config", "MessageType": "ConfigurationItemChangeNotification"}]}, "MaximumExecutionFrequency": "Three_Hours"}""");

        Assert.Equal(TimeSpan.FromHours(3), periodic.Frequency);
        Assert.Equal(TimeSpan.FromHours(24), managed.Frequency);
        Assert.Equal("MaximumExecutionFrequency", error.Field);
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var errors = Errors("""
            {"Description": "{{new string('d', 257)}}",
             "Source": {"Owner": "AWS", "SourceIdentifier": "IAM_PASSWORD_POLICY"},
             "InputParameters": {"MinimumPasswordLength": "3", "Bogus": "1"},
             "Scope": {"TagValue": "x"}}
            """.Replace("{{new string('d', 257)}}", new string('d', 257), StringComparison.Ordinal));

        Assert.Equal(["Description", "InputParameters.Bogus", "InputParameters.MinimumPasswordLength", "Scope.TagValue"], errors.Select(e => e.Field).Order());
    }
}
