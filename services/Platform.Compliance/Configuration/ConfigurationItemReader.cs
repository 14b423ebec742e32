using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Platform.Compliance.Configuration;

/// <summary>What reading one item gave: the item, or the field that was wrong and why.</summary>
public readonly record struct ItemReading(ConfigurationItem? Item, string? Field, string? Reason);

/// <summary>
/// Reads one configuration item in either shape AWS Config writes it: the API's (<c>GetResourceConfigHistory</c>:
/// <c>awsAccountId</c>, <c>arn</c>, <c>relationshipName</c>, <c>configuration</c> as a JSON string) and the
/// notification's (<c>accountId</c> or <c>awsAccountId</c>, <c>ARN</c>, <c>name</c>, <c>configuration</c> as an
/// object), timestamps as ISO 8601 text or epoch seconds (as the CLI prints them). Embedded documents are parsed
/// (<see cref="EmbeddedDocuments"/>).
/// </summary>
public static partial class ConfigurationItemReader
{
    /// <summary>How deep an item's configuration may nest once its embedded documents are parsed (it is stored inside an event).</summary>
    public const int MaxItemDepth = 48;

    /// <summary>AWS's limit on a resource id (and the longest name or type taken).</summary>
    public const int MaxIdLength = 768;

    public static readonly IReadOnlyList<string> Statuses = ["OK", "ResourceDiscovered", "ResourceNotRecorded", "ResourceDeleted", "ResourceDeletedNotRecorded"];

    /// <summary>Reads <paramref name="element"/>; fields are named under <paramref name="path"/>.</summary>
    public static ItemReading Read(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Refuse(path, "", $"is {Describe(element)}, not a configuration item object");
        }
        string? field = null, reason = null;
        bool Fail(string name, string why)
        {
            field ??= name;
            reason ??= why;
            return false;
        }

        if (!TryText(element, "resourceType", required: true, out var resourceType, Fail) | !TryText(element, "resourceId", required: true, out var resourceId, Fail))
        {
            return Refuse(path, field!, reason!);
        }
        if (!ResourceTypePattern().IsMatch(resourceType!))
        {
            return Refuse(path, "resourceType", $"'{QueryParameters.Shorten(resourceType!)}' is not a resource type (AWS::Service::Resource)");
        }
        var accountName = element.TryGetProperty("awsAccountId", out _) ? "awsAccountId" : "accountId";
        if (!TryText(element, accountName, required: true, out var account, Fail)
            || !TryText(element, "awsRegion", required: true, out var region, Fail)
            || !TryText(element, "configurationItemStatus", required: true, out var status, Fail)
            || !TryText(element, "resourceName", required: false, out var name, Fail)
            || !TryText(element, element.TryGetProperty("ARN", out _) ? "ARN" : "arn", required: false, out var arn, Fail)
            || !TryText(element, "availabilityZone", required: false, out var zone, Fail)
            || !TryTime(element, "configurationItemCaptureTime", required: true, out var captureTime, Fail))
        {
            return Refuse(path, field!, reason!);
        }
        // Informational: an unreadable creation time (a sample holds Python's datetime repr) costs the time, not the item.
        TryTime(element, "resourceCreationTime", required: false, out var createdAt, (_, _) => false);
        if (!Statuses.Contains(status!, StringComparer.Ordinal))
        {
            return Refuse(path, "configurationItemStatus", $"'{QueryParameters.Shorten(status!)}' is not a status: use {string.Join(", ", Statuses)}");
        }
        string? stateId = null;
        if (element.TryGetProperty("configurationStateId", out var state) && state.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            stateId = state.ValueKind == JsonValueKind.String ? state.GetString() : state.GetRawText();
        }

        var configuration = ReadDocument(element, "configuration");
        EmbeddedDocuments.ParseConfiguration(configuration, MaxItemDepth);
        var supplementary = ReadDocument(element, "supplementaryConfiguration") as JsonObject;
        EmbeddedDocuments.ParseSupplementary(supplementary, MaxItemDepth);
        if (DeeperThan(configuration, MaxItemDepth) || DeeperThan(supplementary, MaxItemDepth))
        {
            return Refuse(path, DeeperThan(configuration, MaxItemDepth) ? "configuration" : "supplementaryConfiguration",
                $"nests deeper than {MaxItemDepth} levels, the limit");
        }
        if (ReadTags(element, out var tagsProblem) is not { } tags)
        {
            return Refuse(path, "tags", tagsProblem!);
        }
        if (ReadRelationships(element, out var relationshipsProblem) is not { } relationships)
        {
            return Refuse(path, "relationships", relationshipsProblem!);
        }
        var deleted = status is "ResourceDeleted" or "ResourceDeletedNotRecorded";
        var item = new ConfigurationItem(
            resourceType!, resourceId!, name, account!, region!, arn, zone, captureTime!.Value, status!, stateId, createdAt,
            deleted || configuration is null ? null : JsonSerializer.SerializeToElement(configuration),
            supplementary is null ? null : JsonSerializer.SerializeToElement(supplementary),
            tags, relationships);
        return new ItemReading(item, null, null);
    }

    /// <summary>A field's value as a mutable document: an object as it is, a string holding JSON parsed (the API's shape).</summary>
    private static JsonNode? ReadDocument(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        var node = JsonNode.Parse(value.GetRawText(), documentOptions: new JsonDocumentOptions { MaxDepth = JsonBody.MaxDepth });
        return EmbeddedDocuments.TryParse(node, MaxItemDepth) ?? node;
    }

    private static bool TryText(JsonElement element, string name, bool required, out string? value, Func<string, string, bool> fail)
    {
        value = null;
        if (!element.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            return !required || fail(name, "is missing");
        }
        if (property.ValueKind != JsonValueKind.String)
        {
            return fail(name, $"is {Describe(property)}, not text");
        }
        value = property.GetString()!;
        if (value.Length == 0)
        {
            value = null;
            return !required || fail(name, "is empty");
        }
        if (value.Length > MaxIdLength)
        {
            return fail(name, $"is {value.Length} characters long: at most {MaxIdLength}");
        }
        return !value.Contains('\0', StringComparison.Ordinal) || fail(name, "must not contain the NUL character");
    }

    private static bool TryTime(JsonElement element, string name, bool required, out DateTimeOffset? value, Func<string, string, bool> fail)
    {
        value = null;
        if (!element.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            return !required || fail(name, "is missing");
        }
        if (property.ValueKind == JsonValueKind.Number && property.TryGetDouble(out var seconds)
            && seconds is >= 0 and < 253402300800)
        {
            value = DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Round(seconds * 1000));
            return true;
        }
        if (property.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(property.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = parsed.ToUniversalTime();
            return true;
        }
        return fail(name, $"is {Describe(property)}, not an ISO 8601 time or epoch seconds");
    }

    /// <summary>Tags as Config writes them: a map, or a list of <c>{key, value}</c> (either case).</summary>
    private static Dictionary<string, string>? ReadTags(JsonElement element, out string? problem)
    {
        problem = null;
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!element.TryGetProperty("tags", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return tags;
        }
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var tag in value.EnumerateObject())
            {
                tags[tag.Name] = tag.Value.ValueKind == JsonValueKind.String ? tag.Value.GetString()! : tag.Value.GetRawText();
            }
            return tags;
        }
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var tag in value.EnumerateArray())
            {
                if (tag.ValueKind != JsonValueKind.Object || Property(tag, "key", "Key") is not { ValueKind: JsonValueKind.String } key)
                {
                    problem = "a tag of the list is not {\"key\": ..., \"value\": ...}";
                    return null;
                }
                tags[key.GetString()!] = Property(tag, "value", "Value") is { ValueKind: JsonValueKind.String } v ? v.GetString()! : "";
            }
            return tags;
        }
        problem = $"is {Describe(value)}, not a map of tags";
        return null;
    }

    private static List<ConfigurationRelationship>? ReadRelationships(JsonElement element, out string? problem)
    {
        problem = null;
        var relationships = new List<ConfigurationRelationship>();
        if (!element.TryGetProperty("relationships", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return relationships;
        }
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.Object))
        {
            problem = "is not a list of relationship objects";
            return null;
        }
        foreach (var r in value.EnumerateArray())
        {
            relationships.Add(new ConfigurationRelationship(
                Text(r, "resourceType"), Text(r, "resourceId"), Text(r, "resourceName"), Text(r, "relationshipName") ?? Text(r, "name")));
        }
        return relationships;
    }

    private static JsonElement? Property(JsonElement element, string name, string otherName) =>
        element.TryGetProperty(name, out var value) || element.TryGetProperty(otherName, out value) ? value : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool DeeperThan(JsonNode? node, int depth) =>
        depth < 0 || node switch
        {
            JsonObject obj => obj.Any(p => DeeperThan(p.Value, depth - 1)),
            JsonArray array => array.Any(e => DeeperThan(e, depth - 1)),
            _ => false,
        };

    /// <summary>The kind of a JSON value, for reasons.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "text",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static ItemReading Refuse(string path, string field, string reason) =>
        new(null, field.Length == 0 ? path : ValidationErrors.Field(path, field), reason);

    /// <summary>AWS's resource types (<c>AWS::S3::Bucket</c>, <c>AWS::::Account</c>) and third parties' of the same form.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9]+::[A-Za-z0-9]*::[A-Za-z0-9]+$", RegexOptions.NonBacktracking)]
    private static partial Regex ResourceTypePattern();
}
