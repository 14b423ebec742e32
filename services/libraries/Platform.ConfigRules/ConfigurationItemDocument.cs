using System.Buffers;
using System.Runtime.CompilerServices;

namespace Platform.ConfigRules;

/// <summary>
/// A configuration item as the JSON document AWS Config puts in its change notifications (<c>configurationItem</c> of a
/// <c>ConfigurationItemChangeNotification</c>: <c>resourceType</c>, <c>resourceId</c>, <c>awsAccountId</c>, <c>ARN</c>,
/// <c>configurationItemCaptureTime</c>, <c>configurationItemStatus</c>, <c>configuration</c>,
/// <c>supplementaryConfiguration</c>, <c>tags</c>, <c>relationships</c>, ...): what <c>CUSTOM_LAMBDA</c> functions receive
/// and what <c>CUSTOM_POLICY</c> Sigma rules match, written once per item and shared by every rule that reads it.
/// </summary>
public static class ConfigurationItemDocument
{
    /// <summary>The item version Config writes today.</summary>
    public const string ItemVersion = "1.3";

    private static readonly ConditionalWeakTable<ConfigurationItem, JsonDocument> s_documents = new();

    /// <summary>The item's document (parsed once per item instance).</summary>
    public static JsonElement Of(ConfigurationItem item) =>
        s_documents.GetValue(item, static i => JsonDocument.Parse(Write(i))).RootElement;

    /// <summary>A time as Config writes it: UTC with milliseconds (<c>2023-04-27T15:03:11.636Z</c>).</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static byte[] Write(ConfigurationItem item)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("relatedEvents");
            writer.WriteEndArray();
            writer.WriteStartArray("relationships");
            foreach (var relationship in item.Relationships)
            {
                writer.WriteStartObject();
                writer.WriteString("resourceId", relationship.ResourceId);
                writer.WriteString("resourceName", relationship.ResourceName);
                writer.WriteString("resourceType", relationship.ResourceType);
                writer.WriteString("name", relationship.Name);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WritePropertyName("configuration");
            WriteOrNull(writer, item.Configuration, emptyObject: false);
            writer.WritePropertyName("supplementaryConfiguration");
            WriteOrNull(writer, item.SupplementaryConfiguration, emptyObject: true);
            writer.WriteStartObject("tags");
            foreach (var (key, value) in item.Tags)
            {
                writer.WriteString(key, value);
            }
            writer.WriteEndObject();
            writer.WriteString("configurationItemVersion", ItemVersion);
            writer.WriteString("configurationItemCaptureTime", Time(item.CaptureTime));
            if (long.TryParse(item.StateId, NumberStyles.None, CultureInfo.InvariantCulture, out var stateId))
            {
                writer.WriteNumber("configurationStateId", stateId);
            }
            else
            {
                writer.WriteString("configurationStateId", item.StateId);
            }
            writer.WriteString("awsAccountId", item.AwsAccountId);
            writer.WriteString("configurationItemStatus", item.Status);
            writer.WriteString("resourceType", item.ResourceType);
            writer.WriteString("resourceId", item.ResourceId);
            writer.WriteString("resourceName", item.ResourceName);
            writer.WriteString("ARN", item.Arn);
            writer.WriteString("awsRegion", item.AwsRegion);
            writer.WriteString("availabilityZone", item.AvailabilityZone);
            writer.WriteString("configurationStateMd5Hash", "");
            if (item.ResourceCreationTime is { } created)
            {
                writer.WriteString("resourceCreationTime", Time(created));
            }
            else
            {
                writer.WriteNull("resourceCreationTime");
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteOrNull(Utf8JsonWriter writer, JsonElement? value, bool emptyObject)
    {
        if (value is { ValueKind: not JsonValueKind.Undefined } element)
        {
            element.WriteTo(writer);
        }
        else if (emptyObject)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
