namespace Platform.Testing;

/// <summary>The seed's remediation (<c>../shared/seed/aws-security-logging.md</c>), as its <c>put_remediation_configurations</c> call writes it.</summary>
public static class SeedRemediations
{
    /// <summary><c>AWS-EnableS3BucketEncryption</c> with AES256 for the buckets <paramref name="rule"/> finds, as JSON.</summary>
    public static string S3BucketEncryption(string rule) => $$$"""
        {
            "ConfigRuleName": "{{{rule}}}",
            "TargetType": "SSM_DOCUMENT",
            "TargetId": "AWS-EnableS3BucketEncryption",
            "Parameters": {
                "BucketName": {"ResourceValue": {"Value": "RESOURCE_ID"}},
                "SSEAlgorithm": {"StaticValue": {"Values": ["AES256"]}}
            },
            "Automatic": true,
            "MaximumAutomaticAttempts": 3,
            "RetryAttemptSeconds": 60
        }
        """;

    /// <summary>
    /// What <c>put_remediation_configurations</c> refuses in the seed's remediation: the field set, its JSON value, the
    /// field the refusal names and part of its reason. One table for every door that reads a remediation (the parser,
    /// provisioning), so each refuses the same things for the same reasons.
    /// </summary>
    public static TheoryData<string, string, string, string> Refusals => new()
    {
        { "TargetType", "\"LAMBDA\"", "TargetType", "unknown target type 'LAMBDA'" },
        { "TargetType", "null", "TargetType", "is required" },
        { "TargetId", "\"AWS-ConfigureS3BucketLogging\"", "TargetId", "not a document the platform performs" },
        { "TargetId", "null", "TargetId", "is required" },
        { "MaximumAutomaticAttempts", "0", "MaximumAutomaticAttempts", "from 1 to 25" },
        { "MaximumAutomaticAttempts", "26", "MaximumAutomaticAttempts", "from 1 to 25" },
        { "RetryAttemptSeconds", "0", "RetryAttemptSeconds", "from 1 to 2678000" },
        { "RetryAttemptSeconds", "2678001", "RetryAttemptSeconds", "from 1 to 2678000" },
        { "ConfigRuleName", "\"other-rule\"", "ConfigRuleName", "differs from the resource's name" },
        { "Parameters", """{"SSEAlgorithm": {"StaticValue": {"Values": ["AES256"]}}}""", "Parameters.BucketName", "is required by AWS-EnableS3BucketEncryption" },
        { "Parameters", """{"BucketName": {"ResourceValue": {"Value": "RESOURCE_ID"}}, "Bucket": {"StaticValue": {"Values": ["x"]}}}""", "Parameters.Bucket", "is not a parameter of AWS-EnableS3BucketEncryption" },
        { "Parameters", """{"BucketName": {"ResourceValue": {"Value": "RESOURCE_ARN"}}}""", "Parameters.BucketName.ResourceValue.Value", "the only one is RESOURCE_ID" },
        { "Parameters", """{"BucketName": {"ResourceValue": {"Value": "RESOURCE_ID"}}, "SSEAlgorithm": {"StaticValue": {"Values": ["DES"]}}}""", "Parameters.SSEAlgorithm.StaticValue.Values", "use AES256 or aws:kms" },
        { "Parameters", """{"BucketName": {"StaticValue": {"Values": []}}}""", "Parameters.BucketName.StaticValue.Values", "at least one value" },
        { "Parameters", """{"BucketName": {"StaticValue": {}}}""", "Parameters.BucketName.StaticValue.Values", "at least one value" },
        { "Parameters", """{"BucketName": {}}""", "Parameters.BucketName", "exactly one of ResourceValue" },
        { "Parameters", """{"BucketName": {"ResourceValue": {"Value": "RESOURCE_ID"}, "StaticValue": {"Values": ["b"]}}}""", "Parameters.BucketName", "exactly one of ResourceValue" },
    };
}
