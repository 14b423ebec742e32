namespace Platform.ConfigRules.Policies;

/// <summary>
/// A bucket's policy as Config records it (<c>supplementaryConfiguration.BucketPolicy.policyText</c>): its statements,
/// each with IAM's shapes (a single statement or a list; <c>Principal</c> <c>"*"</c> or <c>{"AWS": "*"}</c> or
/// <c>{"AWS": ["*", ...]}</c>; <c>Action</c> a string or a list).
/// </summary>
internal static class BucketPolicy
{
    /// <summary>The policy document; null when the bucket has none.</summary>
    public static JsonElement? Of(ConfigurationItem item) =>
        ItemJson.At(item.SupplementaryConfiguration, "BucketPolicy", "policyText") is { ValueKind: JsonValueKind.Object } policy ? policy : null;

    public static IEnumerable<JsonElement> Statements(JsonElement policy) =>
        ItemJson.Each(ItemJson.At(policy, "Statement")).Where(s => s.ValueKind == JsonValueKind.Object);

    public static bool HasEffect(JsonElement statement, string effect) => ItemJson.Text(ItemJson.At(statement, "Effect")) == effect;

    /// <summary>Whether the statement's principal is everyone: <c>"*"</c>, or <c>"*"</c> among the <c>AWS</c> principals.</summary>
    public static bool IsPublic(JsonElement statement) => ItemJson.At(statement, "Principal") switch
    {
        { ValueKind: JsonValueKind.String } principal => principal.GetString() == "*",
        { ValueKind: JsonValueKind.Object } principal => ItemJson.Each(ItemJson.At(principal, "AWS")).Any(p => p.ValueKind == JsonValueKind.String && p.GetString() == "*"),
        _ => false,
    };

    /// <summary>Whether the statement's actions include <paramref name="action"/> (exactly, or through <c>s3:*</c> or <c>*</c>).</summary>
    public static bool Covers(JsonElement statement, string action) =>
        ItemJson.Each(ItemJson.At(statement, "Action")).Select(v => ItemJson.Text(v)).Any(a =>
            a is not null && (a == "*" || a.Equals("s3:*", StringComparison.OrdinalIgnoreCase) || a.Equals(action, StringComparison.OrdinalIgnoreCase)));
}
