namespace Platform.ConfigRules;

/// <summary>
/// A rule's <c>Scope</c>: which resources' changes it judges (types, one resource, a tag). Empty matches every resource.
/// </summary>
public sealed partial class RuleScope
{
    /// <summary>AWS's limits on a scope.</summary>
    public const int MaxResourceTypes = 100;
    public const int MaxTagKeyLength = 128;
    public const int MaxTagValueLength = 256;
    public const int MaxResourceIdLength = 768;

    public static readonly RuleScope Everything = new(new HashSet<string>(), null, null, null);

    private RuleScope(IReadOnlySet<string> resourceTypes, string? resourceId, string? tagKey, string? tagValue)
    {
        ResourceTypes = resourceTypes;
        ResourceId = resourceId;
        TagKey = tagKey;
        TagValue = tagValue;
    }

    /// <summary>The types judged; empty for every type.</summary>
    public IReadOnlySet<string> ResourceTypes { get; }

    public string? ResourceId { get; }

    public string? TagKey { get; }

    public string? TagValue { get; }

    /// <summary>Whether <paramref name="item"/> is in scope.</summary>
    public bool Matches(ConfigurationItem item) =>
        (ResourceTypes.Count == 0 || ResourceTypes.Contains(item.ResourceType))
        && (ResourceId is null || ResourceId == item.ResourceId)
        && (TagKey is null || (item.Tags.TryGetValue(TagKey, out var value) && (TagValue is null || TagValue == value)));

    internal static RuleScope Read(ConfigRuleScope? scope, Action<string, string> fail)
    {
        if (scope is null)
        {
            return Everything;
        }
        var types = scope.ComplianceResourceTypes ?? [];
        if (types.Count > MaxResourceTypes)
        {
            fail("Scope.ComplianceResourceTypes", $"holds {types.Count} types: at most {MaxResourceTypes}");
        }
        for (var i = 0; i < types.Count; i++)
        {
            if (types[i] is null || !ResourceType().IsMatch(types[i]))
            {
                fail($"Scope.ComplianceResourceTypes[{i}]", $"'{types[i]}' is not a resource type: write it as AWS does, e.g. AWS::S3::Bucket");
            }
        }
        if (scope.ComplianceResourceId is { } id && (id.Length is 0 or > MaxResourceIdLength))
        {
            fail("Scope.ComplianceResourceId", $"must be 1 to {MaxResourceIdLength} characters");
        }
        else if (scope.ComplianceResourceId is not null && types.Count != 1)
        {
            fail("Scope.ComplianceResourceId", $"needs exactly one resource type in ComplianceResourceTypes (there are {types.Count})");
        }
        if (scope.TagKey is { } key && (key.Length is 0 or > MaxTagKeyLength))
        {
            fail("Scope.TagKey", $"must be 1 to {MaxTagKeyLength} characters");
        }
        if (scope.TagValue is { } tagValue)
        {
            if (scope.TagKey is null)
            {
                fail("Scope.TagValue", "needs TagKey: a tag value without its key selects nothing");
            }
            if (tagValue.Length > MaxTagValueLength)
            {
                fail("Scope.TagValue", $"is {tagValue.Length} characters long: at most {MaxTagValueLength}");
            }
        }
        return new RuleScope(types.Where(t => t is not null).ToHashSet(StringComparer.Ordinal), scope.ComplianceResourceId, scope.TagKey, scope.TagValue);
    }

    /// <summary><c>AWS::S3::Bucket</c>, <c>AWS::::Account</c>, <c>Custom::Thing</c>.</summary>
    [GeneratedRegex("^[A-Za-z0-9]+::[A-Za-z0-9]*::[A-Za-z0-9]+$")]
    private static partial Regex ResourceType();
}
