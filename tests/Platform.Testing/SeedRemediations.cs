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
}
