namespace Platform.ConfigRules.Managed;

/// <summary>The AWS managed rules the platform runs, by <c>SourceIdentifier</c>.</summary>
public static class ManagedRules
{
    public static readonly IReadOnlyList<ManagedRule> All =
    [
        new S3BucketServerSideEncryptionEnabled(),
        new Ec2InstanceNoPublicIp(),
        new IamPasswordPolicy(),
        new RootAccountMfaEnabled(),
        new CloudTrailEnabled(),
    ];

    private static readonly Dictionary<string, ManagedRule> s_byIdentifier = All.ToDictionary(r => r.Identifier, StringComparer.Ordinal);

    /// <summary>The managed rule <paramref name="identifier"/> names; null when the platform does not run it.</summary>
    public static ManagedRule? Find(string identifier) => s_byIdentifier.GetValueOrDefault(identifier);
}
