using System.Globalization;
using System.Text.Json;
using Platform.Contracts.Compliance;

namespace Platform.Testing;

/// <summary>
/// The real configuration items in ../shared/data/config-items as <see cref="ConfigurationItem"/>s, read from the API
/// shape (<c>accountId</c>, <c>arn</c>) or the notification shape (<c>awsAccountId</c>, <c>ARN</c>) as they come; embedded
/// documents (a bucket's <c>policyText</c>) stay as the files hold them. For rule tests and benchmarks, not intake.
/// </summary>
public static class ConfigurationItemSamples
{
    public static string Directory => SharedData.PathOf("data", "config-items");

    /// <summary>The sample <paramref name="file"/>.</summary>
    public static ConfigurationItem Sample(string file) => Read(File.ReadAllText(Path.Combine(Directory, file)));

    /// <summary>Every sample that is an item (not the invalid one, not the rule invocation events).</summary>
    public static IEnumerable<ConfigurationItem> All() =>
        System.IO.Directory.EnumerateFiles(Directory, "AWS_*.json").Order(StringComparer.Ordinal).Select(TryRead).OfType<ConfigurationItem>();

    /// <summary>An item in the API or notification shape.</summary>
    public static ConfigurationItem Read(string json)
    {
        var root = JsonDocument.Parse(json).RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"not a configuration item: a JSON {root.ValueKind}, not an object");
        }
        string? Text(params string[] names) =>
            names.Select(n => root.TryGetProperty(n, out var v) && v.ValueKind is JsonValueKind.String or JsonValueKind.Number ? v.ToString() : null).FirstOrDefault(v => v is not null);
        JsonElement? Element(string name) => root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;
        var tags = Element("tags") is { ValueKind: JsonValueKind.Object } t
            ? t.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString())
            : new Dictionary<string, string>();
        return new ConfigurationItem(
            Text("resourceType")!, Text("resourceId")!, Text("resourceName"), Text("awsAccountId", "accountId")!, Text("awsRegion")!,
            Text("ARN", "arn"), Text("availabilityZone"),
            DateTimeOffset.Parse(Text("configurationItemCaptureTime")!, CultureInfo.InvariantCulture), Text("configurationItemStatus")!,
            Text("configurationStateId"),
            Text("resourceCreationTime") is { } created ? DateTimeOffset.Parse(created, CultureInfo.InvariantCulture) : null,
            Element("configuration"), Element("supplementaryConfiguration"), tags, []);
    }

    private static ConfigurationItem? TryRead(string path)
    {
        try
        {
            var item = Read(File.ReadAllText(path));
            return item.ResourceType is null || item.ResourceId is null || item.AwsAccountId is null ? null : item;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentNullException)
        {
            return null;
        }
    }
}
