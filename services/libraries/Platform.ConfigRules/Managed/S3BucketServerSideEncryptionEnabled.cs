using Platform.ConfigRules.Policies;

namespace Platform.ConfigRules.Managed;

/// <summary>
/// <c>S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED</c> (configuration changes, <c>AWS::S3::Bucket</c>, no parameters):
/// COMPLIANT when the bucket has default encryption (<c>supplementaryConfiguration.ServerSideEncryptionConfiguration</c>
/// with an SSE-S3, SSE-KMS or DSSE-KMS rule) or its policy explicitly denies <c>s3:PutObject</c> requests without
/// server-side encryption; NON_COMPLIANT otherwise.
/// </summary>
public sealed class S3BucketServerSideEncryptionEnabled : ChangeTriggeredRule
{
    /// <summary>The algorithms of S3 default encryption (<c>SSEAlgorithm</c>).</summary>
    public static readonly IReadOnlySet<string> Algorithms = new HashSet<string>(StringComparer.Ordinal) { "AES256", "aws:kms", "aws:kms:dsse" };

    private const string EncryptionHeader = "s3:x-amz-server-side-encryption";

    public override string Identifier => "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED";

    public override IReadOnlyCollection<string> ResourceTypes { get; } = ["AWS::S3::Bucket"];

    protected override Judgement Judge(ConfigurationItem item, ManagedRuleArguments arguments)
    {
        var rules = ItemJson.Each(ItemJson.At(item.SupplementaryConfiguration, "ServerSideEncryptionConfiguration", "rules"));
        if (rules.Select(r => ItemJson.Text(ItemJson.At(r, "applyServerSideEncryptionByDefault", "sseAlgorithm"))).FirstOrDefault(a => a is not null && Algorithms.Contains(a)) is { } algorithm)
        {
            return Judgement.Compliant($"default encryption {algorithm}");
        }
        if (BucketPolicy.Of(item) is { } policy && BucketPolicy.Statements(policy).Any(DeniesUnencryptedPuts))
        {
            return Judgement.Compliant("the bucket policy denies s3:PutObject without server-side encryption");
        }
        return Judgement.NonCompliant("the bucket has no default encryption and its policy does not deny unencrypted s3:PutObject requests");
    }

    /// <summary>
    /// A Deny of <c>s3:PutObject</c> to everyone when the encryption header is missing (<c>Null</c> true) or is not
    /// one of the algorithms (<c>StringNotEquals</c>).
    /// </summary>
    private static bool DeniesUnencryptedPuts(JsonElement statement)
    {
        if (!BucketPolicy.HasEffect(statement, "Deny") || !BucketPolicy.IsPublic(statement) || !BucketPolicy.Covers(statement, "s3:PutObject")
            || ItemJson.At(statement, "Condition") is not { ValueKind: JsonValueKind.Object } condition)
        {
            return false;
        }
        foreach (var test in condition.EnumerateObject())
        {
            if (test.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            var header = test.Value.EnumerateObject().FirstOrDefault(p => p.Name.Equals(EncryptionHeader, StringComparison.OrdinalIgnoreCase));
            if (header.Value.ValueKind == JsonValueKind.Undefined)
            {
                continue;
            }
            var values = ItemJson.Each(header.Value).Select(v => ItemJson.Text(v)).ToList();
            if (test.Name == "Null" && values.Contains("true"))
            {
                return true;
            }
            if (test.Name is "StringNotEquals" or "StringNotEqualsIgnoreCase" && values.Count > 0 && values.All(v => v is not null && Algorithms.Contains(v)))
            {
                return true;
            }
        }
        return false;
    }
}
