using static Platform.ConfigRules.Tests.Rules;

namespace Platform.ConfigRules.Tests;

/// <summary>S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED as AWS documents it: default encryption, or a policy denying unencrypted puts.</summary>
public sealed class Judging_s3_bucket_encryption
{
    private static readonly IConfigRule Rule = AwsRule("S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED");

    [Fact]
    public void The_real_sample_bucket_without_default_encryption_is_non_compliant_though_its_policy_denies_insecure_transport()
    {
        var bucket = ConfigurationItemSamples.Sample("AWS_S3_Bucket.json");

        var verdict = OnChange(Rule, bucket);

        Assert.Equal(ComplianceTypes.NonCompliant, verdict.ComplianceType);
        Assert.Equal(("AWS::S3::Bucket", "mborch-test-bucket-config-item"), (verdict.ResourceType, verdict.ResourceId));
        Assert.Equal(bucket.CaptureTime, verdict.OrderingTimestamp);
    }

    [Theory]
    [InlineData("AES256")]
    [InlineData("aws:kms")]
    [InlineData("aws:kms:dsse")]
    public void A_bucket_with_default_encryption_is_compliant(string algorithm)
    {
        var bucket = Items.Bucket($$$"""{"ServerSideEncryptionConfiguration": {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "{{{algorithm}}}", "kmsMasterKeyID": null}}]}}""");

        Assert.Equal(ComplianceTypes.Compliant, OnChange(Rule, bucket).ComplianceType);
    }

    [Theory]
    [InlineData("""{"ServerSideEncryptionConfiguration": {"rules": []}}""")]
    [InlineData("""{"ServerSideEncryptionConfiguration": {"rules": [{"applyServerSideEncryptionByDefault": null}]}}""")]
    [InlineData("""{"ServerSideEncryptionConfiguration": null}""")]
    [InlineData("{}")]
    [InlineData(null)]
    public void A_bucket_without_an_encryption_rule_is_non_compliant(string? supplementary) =>
        Assert.Equal(ComplianceTypes.NonCompliant, OnChange(Rule, Items.Bucket(supplementary)).ComplianceType);

    [Fact]
    public void Encryption_recorded_as_unparsed_text_is_read()
    {
        var bucket = Items.Bucket("""{"ServerSideEncryptionConfiguration": "{\"rules\":[{\"applyServerSideEncryptionByDefault\":{\"sseAlgorithm\":\"AES256\"}}]}"}""");

        Assert.Equal(ComplianceTypes.Compliant, OnChange(Rule, bucket).ComplianceType);
    }

    [Theory]
    [InlineData("""{"StringNotEquals": {"s3:x-amz-server-side-encryption": "AES256"}}""", "s3:PutObject", ComplianceTypes.Compliant)]
    [InlineData("""{"StringNotEquals": {"s3:x-amz-server-side-encryption": ["AES256", "aws:kms"]}}""", "s3:*", ComplianceTypes.Compliant)]
    [InlineData("""{"Null": {"s3:x-amz-server-side-encryption": "true"}}""", "s3:PutObject", ComplianceTypes.Compliant)]
    [InlineData("""{"StringNotEquals": {"s3:x-amz-server-side-encryption": "AES256"}}""", "s3:GetObject", ComplianceTypes.NonCompliant)]
    [InlineData("""{"StringNotEquals": {"s3:x-amz-server-side-encryption": "none"}}""", "s3:PutObject", ComplianceTypes.NonCompliant)]
    [InlineData("""{"Bool": {"aws:SecureTransport": "false"}}""", "s3:PutObject", ComplianceTypes.NonCompliant)]
    public void A_policy_denying_unencrypted_puts_counts_as_encryption(string condition, string action, string expected)
    {
        var policy = $$"""{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "{{action}}", "Resource": "arn:aws:s3:::my-bucket/*", "Condition": {{condition}}}]}""";
        var bucket = Items.Bucket($$$"""{"BucketPolicy": {"policyText": {{{policy}}}}}""");

        Assert.Equal(expected, OnChange(Rule, bucket).ComplianceType);
    }

    [Fact]
    public void A_deleted_bucket_is_not_applicable()
    {
        var verdict = OnChange(Rule, Items.Deleted(Items.Bucket(null)));

        Assert.Equal(ComplianceTypes.NotApplicable, verdict.ComplianceType);
    }

    [Fact]
    public void Other_resource_types_do_not_trigger_it_and_a_scheduled_run_judges_nothing()
    {
        Assert.False(Rule.IsTriggeredBy(ConfigurationItemSamples.Sample("AWS_EC2_Instance.json")));
        Assert.True(Rule.IsTriggeredBy(Items.Bucket(null)));
        Assert.Null(Rule.Frequency);
        Assert.Empty(Evaluate(Rule, new RuleInput(Items.Account, Items.Region, null, [Items.Bucket(null)], Items.Now)));
    }
}
