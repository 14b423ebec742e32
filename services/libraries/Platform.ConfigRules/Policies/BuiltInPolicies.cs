namespace Platform.ConfigRules.Policies;

/// <summary>
/// <c>PolicyRuntime: builtin</c>: policies that ship with the platform, named by <c>PolicyText</c>. The seed's
/// <c>custom-s3-bucket-policy-check</c> Lambda is one: <see cref="S3BucketPolicyPublicAccess"/>.
/// </summary>
public static class BuiltInPolicies
{
    public const string Runtime = "builtin";

    public static readonly IReadOnlyDictionary<string, IPolicy> All = new Dictionary<string, IPolicy>(StringComparer.Ordinal)
    {
        [S3BucketPolicyPublicAccess.Name] = new S3BucketPolicyPublicAccess(),
    };
}

/// <summary>
/// The seed's bucket policy check, as its Lambda function judges: a bucket whose policy has a statement with
/// <c>Effect</c> <c>Allow</c> and <c>Principal</c> <c>"*"</c> or <c>{"AWS": "*"}</c> (the star alone or in a list) is
/// NON_COMPLIANT; a bucket without a policy, or whose statements allow no one publicly, is COMPLIANT; any other resource
/// type is NOT_APPLICABLE.
/// </summary>
public sealed class S3BucketPolicyPublicAccess : IPolicy
{
    public const string Name = "s3-bucket-policy-public-access";

    public Judgement Judge(ConfigurationItem item)
    {
        if (item.ResourceType != "AWS::S3::Bucket")
        {
            return Judgement.NotApplicable($"the check applies to AWS::S3::Bucket, not {item.ResourceType}");
        }
        if (BucketPolicy.Of(item) is not { } policy)
        {
            return Judgement.Compliant("the bucket has no policy");
        }
        var statement = BucketPolicy.Statements(policy).FirstOrDefault(s => BucketPolicy.IsPublic(s) && BucketPolicy.HasEffect(s, "Allow"));
        return statement.ValueKind == JsonValueKind.Undefined
            ? Judgement.Compliant()
            : Judgement.NonCompliant($"the bucket policy allows everyone (Principal *){(ItemJson.Text(ItemJson.At(statement, "Sid")) is { } sid ? $" in statement {sid}" : "")}");
    }
}
