using System.Collections.Frozen;
using System.Net;
using System.Text.Json.Nodes;

namespace Platform.Compliance.Configuration;

/// <summary>
/// JSON documents AWS Config carries as strings (a bucket's <c>policyText</c>, IAM policy documents, URL-encoded as IAM
/// returns them or not, a topic's <c>Policy</c>, every supplementary configuration value) parsed in place into objects,
/// so rules address their fields. A string that is not such a document stays as it was.
/// </summary>
public static class EmbeddedDocuments
{
    /// <summary>
    /// Properties, at any depth of <c>configuration</c>, whose string value is a JSON document when it is one. A table:
    /// a resource type that carries another adds its name here.
    /// </summary>
    public static readonly FrozenSet<string> DocumentProperties = FrozenSet.Create(
        StringComparer.Ordinal,
        "policyText", "document", "policyDocument", "assumeRolePolicyDocument", "Policy", "policy", "KeyPolicy", "keyPolicy",
        "AccessPolicies", "accessPolicies", "AccessControlList", "EffectiveDeliveryPolicy", "DeliveryPolicy", "RedrivePolicy",
        "resourcePolicy", "ResourcePolicy", "trustPolicy", "repositoryPolicyText", "lifecyclePolicyText");

    /// <summary>Parses the documents under <paramref name="configuration"/> (at the known properties).</summary>
    public static void ParseConfiguration(JsonNode? configuration, int maxDepth) => Walk(configuration, maxDepth);

    /// <summary>
    /// Parses every top-level value of <paramref name="supplementary"/> that is a document (Config writes them as JSON
    /// strings), then the known properties beneath.
    /// </summary>
    public static void ParseSupplementary(JsonObject? supplementary, int maxDepth)
    {
        if (supplementary is null)
        {
            return;
        }
        foreach (var name in supplementary.Select(p => p.Key).ToArray())
        {
            if (TryParse(supplementary[name], maxDepth) is { } parsed)
            {
                supplementary[name] = parsed;
            }
        }
        Walk(supplementary, maxDepth);
    }

    private static void Walk(JsonNode? node, int maxDepth)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToArray())
                {
                    if (DocumentProperties.Contains(name) && TryParse(obj[name], maxDepth) is { } parsed)
                    {
                        obj[name] = parsed;
                    }
                    Walk(obj[name], maxDepth);
                }
                break;
            case JsonArray array:
                foreach (var element in array)
                {
                    Walk(element, maxDepth);
                }
                break;
        }
    }

    /// <summary>The document a string value holds (URL-encoded or not), or null when it holds none.</summary>
    public static JsonNode? TryParse(JsonNode? value, int maxDepth)
    {
        if (value is not JsonValue text || !text.TryGetValue<string>(out var s))
        {
            return null;
        }
        var trimmed = s.AsSpan().Trim();
        if (trimmed.StartsWith("%7B", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("%5B", StringComparison.OrdinalIgnoreCase))
        {
            // IAM returns policy documents URL-encoded (RFC 3986, or '+' for a space as Java's encoder writes).
            s = WebUtility.UrlDecode(s);
            trimmed = s.AsSpan().Trim();
        }
        if (trimmed.Length < 2 || !((trimmed[0] == '{' && trimmed[^1] == '}') || (trimmed[0] == '[' && trimmed[^1] == ']')))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(s, documentOptions: new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
