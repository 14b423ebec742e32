namespace Platform.ConfigRules.Remediation;

/// <summary>One parameter of a remediation document: whether it must be given, and the values it takes (any when empty).</summary>
public sealed record RemediationDocumentParameter(string Name, bool Required, IReadOnlyList<string> AllowedValues, string? Default = null);

/// <summary>An SSM document the platform performs itself when a remediation names it (<c>TargetType</c> <c>SSM_DOCUMENT</c>).</summary>
public sealed record RemediationDocument(string Name, IReadOnlyList<RemediationDocumentParameter> Parameters)
{
    public RemediationDocumentParameter? Find(string parameter) => Parameters.FirstOrDefault(p => p.Name == parameter);
}

/// <summary>The SSM documents the platform performs: <c>AWS-EnableS3BucketEncryption</c> (S3's <c>PutBucketEncryption</c>).</summary>
public static class RemediationDocuments
{
    public const string EnableS3BucketEncryption = "AWS-EnableS3BucketEncryption";

    public static readonly IReadOnlyDictionary<string, RemediationDocument> All = new Dictionary<string, RemediationDocument>(StringComparer.Ordinal)
    {
        [EnableS3BucketEncryption] = new(EnableS3BucketEncryption,
        [
            new("BucketName", Required: true, []),
            new("SSEAlgorithm", Required: false, ["AES256", "aws:kms"], Default: "AES256"),
            new("KMSMasterKeyID", Required: false, []),
            new("AutomationAssumeRole", Required: false, []),
        ]),
    };
}
