using static Platform.ConfigRules.Tests.Rules;

namespace Platform.ConfigRules.Tests;

/// <summary>The seed's custom-s3-bucket-policy-check, shipped as the built-in policy with its Lambda function's logic.</summary>
public sealed class Judging_bucket_policies
{
    /// <summary>The seed stack's rule.</summary>
    private static readonly IConfigRule Rule = Compile("""
        {"ConfigRuleName": "custom-s3-bucket-policy-check",
         "Source": {"Owner": "CUSTOM_POLICY",
                    "SourceDetails": [{"EventSource": "aws.config", "MessageType": "ConfigurationItemChangeNotification"}],
                    "CustomPolicyDetails": {"PolicyRuntime": "builtin", "PolicyText": "s3-bucket-policy-public-access"}},
         "Scope": {"ComplianceResourceTypes": ["AWS::S3::Bucket"]}}
        """, name: "custom-s3-bucket-policy-check");

    private static ConfigurationItem WithStatement(string statement) =>
        Items.Bucket("""{"BucketPolicy": {"policyText": {"Version": "2012-10-17", "Statement": [""" + statement + "]}}}");

    [Theory]
    [InlineData("""{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}""")]
    [InlineData("""{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject"}""")]
    [InlineData("""{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"]}, "Action": "s3:GetObject"}""")]
    public void A_statement_allowing_everyone_is_non_compliant(string statement) =>
        Assert.Equal(ComplianceTypes.NonCompliant, OnChange(Rule, WithStatement(statement)).ComplianceType);

    [Theory]
    [InlineData("""{"Effect": "Deny", "Principal": "*", "Action": "s3:*"}""")]
    [InlineData("""{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject"}""")]
    [InlineData("""{"Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject"}""")]
    public void Statements_allowing_no_one_publicly_are_compliant(string statement) =>
        Assert.Equal(ComplianceTypes.Compliant, OnChange(Rule, WithStatement(statement)).ComplianceType);

    [Fact]
    public void A_bucket_without_a_policy_is_compliant() =>
        Assert.Equal(ComplianceTypes.Compliant, OnChange(Rule, Items.Bucket("""{"IsRequesterPaysEnabled": false}""")).ComplianceType);

    [Fact]
    public void The_real_sample_bucket_whose_policy_text_is_still_a_string_only_denies_and_is_compliant() =>
        Assert.Equal(ComplianceTypes.Compliant, OnChange(Rule, ConfigurationItemSamples.Sample("AWS_S3_Bucket.json")).ComplianceType);

    [Fact]
    public void A_single_statement_object_and_a_policy_given_as_text_are_read()
    {
        var bucket = Items.Bucket("""{"BucketPolicy": {"policyText": "{\"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\"}}"}}""");

        Assert.Equal(ComplianceTypes.NonCompliant, OnChange(Rule, bucket).ComplianceType);
    }

    [Fact]
    public void Outside_its_scope_it_is_not_triggered_and_without_scope_other_types_are_not_applicable()
    {
        var instance = ConfigurationItemSamples.Sample("AWS_EC2_Instance.json");
        var unscoped = Compile("""
            {"Source": {"Owner": "CUSTOM_POLICY", "SourceDetails": [{"EventSource": "aws.config", "MessageType": "ConfigurationItemChangeNotification"}],
                        "CustomPolicyDetails": {"PolicyRuntime": "builtin", "PolicyText": "s3-bucket-policy-public-access"}}}
            """);

        Assert.False(Rule.IsTriggeredBy(instance));
        Assert.Empty(Evaluate(Rule, new RuleInput(Items.Account, Items.Region, instance, [], Items.Now)));
        Assert.Equal(ComplianceTypes.NotApplicable, OnChange(unscoped, instance).ComplianceType);
    }

    [Fact]
    public void A_deleted_bucket_is_not_applicable() =>
        Assert.Equal(ComplianceTypes.NotApplicable, OnChange(Rule, Items.Deleted(WithStatement("""{"Effect": "Allow", "Principal": "*"}"""))).ComplianceType);
}
