using System.Text.Json.Nodes;

namespace Platform.Compliance.Configuration;

/// <summary>Where a recorded item came from (<see cref="ConfigurationItemRecorded.Origin"/>).</summary>
public static class ConfigurationOrigins
{
    public const string Api = "api";
    public const string Notification = "notification";
    public const string OversizedNotification = "oversized-notification";
    public const string Snapshot = "snapshot";
    public const string AccountSnapshot = "account-snapshot";
    public const string CloudTrail = "cloudtrail";
}

/// <summary>An item read from a delivery, and how it came.</summary>
public sealed record DeliveredItem(ConfigurationItem Item, string Origin);

/// <summary>
/// A part of a delivery that is not an item: its bytes, the field it was at and why. <see cref="Unavailable"/> when it
/// names an S3 object that could not be fetched for now: nothing is wrong with it, the sender should try again.
/// </summary>
public sealed record RefusedPart(string Field, string Reason, byte[] Raw, string Source, bool Unavailable = false);

/// <summary>What a delivery held; <see cref="TooMany"/> when it held more items than the limit (then it is refused whole).</summary>
public sealed class Delivery
{
    public List<DeliveredItem> Items { get; } = [];

    public List<RefusedPart> Refused { get; } = [];

    public string? TooMany { get; set; }
}

/// <summary>
/// Reads what <c>POST /v1/configuration-items</c> takes: one item or a list (a JSON array, or
/// <c>{"configurationItems": [...]}</c> as <c>GetResourceConfigHistory</c> and snapshot files hold them), and Config's
/// notifications: <c>ConfigurationItemChangeNotification</c>, <c>OversizedConfigurationItemChangeNotification</c> (the
/// item fetched from <c>s3DeliverySummary.s3BucketLocation</c>), <c>ConfigurationSnapshotDeliveryCompleted</c> and
/// <c>ConfigurationHistoryDeliveryCompleted</c> (the file fetched from <c>s3Bucket</c>/<c>s3ObjectKey</c>), each also
/// wrapped in an SNS notification (<c>Type: Notification</c>, <c>Message</c> a JSON string) or in a rule's invocation
/// event (<c>invokingEvent</c> a JSON string). A part that is not an item is refused with its field and reason while the
/// others are read.
/// </summary>
public sealed class ConfigurationDeliveryReader(ConfigurationObjects objects, IntakeOptions options)
{
    /// <summary>How many envelopes may wrap one another (SNS around an invocation event around a notification, ...).</summary>
    private const int MaxEnvelopes = 4;

    public async Task<Delivery> ReadAsync(JsonElement root, string source, CancellationToken cancellationToken)
    {
        var delivery = new Delivery();
        await ReadAsync(root, "", null, source, envelopes: 0, fetched: false, delivery, cancellationToken);
        return delivery;
    }

    private async Task ReadAsync(
        JsonElement value, string path, string? origin, string source, int envelopes, bool fetched, Delivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.TooMany is not null)
        {
            return;
        }
        if (value.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var element in value.EnumerateArray())
            {
                await ReadAsync(element, $"{path}[{index++}]", origin, source, envelopes, fetched, delivery, cancellationToken);
            }
            return;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            Refuse(delivery, value, path, "", $"is {ConfigurationItemReader.Describe(value)}, not a configuration item or a notification", source);
            return;
        }
        if (Text(value, "Type") == "Notification" && value.TryGetProperty("Message", out var message))
        {
            await UnwrapAsync(value, message, path, "Message", origin, source, envelopes, fetched, delivery, cancellationToken);
            return;
        }
        if (value.TryGetProperty("invokingEvent", out var invokingEvent))
        {
            await UnwrapAsync(value, invokingEvent, path, "invokingEvent", origin, source, envelopes, fetched, delivery, cancellationToken);
            return;
        }
        if (Text(value, "messageType") is { } messageType)
        {
            await ReadNotificationAsync(value, messageType, path, origin, source, envelopes, fetched, delivery, cancellationToken);
            return;
        }
        if (value.TryGetProperty("configurationItems", out var items) && !value.TryGetProperty("resourceType", out _))
        {
            if (items.ValueKind != JsonValueKind.Array)
            {
                Refuse(delivery, value, path, "configurationItems", $"is {ConfigurationItemReader.Describe(items)}, not a list", source);
                return;
            }
            await ReadAsync(items, ValidationErrors.Field(path, "configurationItems"), origin, source, envelopes, fetched, delivery, cancellationToken);
            return;
        }
        AddItem(delivery, value, path, origin ?? ConfigurationOrigins.Api, source);
    }

    private async Task ReadNotificationAsync(
        JsonElement value, string messageType, string path, string? origin, string source, int envelopes, bool fetched, Delivery delivery,
        CancellationToken cancellationToken)
    {
        switch (messageType)
        {
            case "ConfigurationItemChangeNotification":
                if (!value.TryGetProperty("configurationItem", out var item) || item.ValueKind == JsonValueKind.Null)
                {
                    Refuse(delivery, value, path, "configurationItem", "is missing from the ConfigurationItemChangeNotification", source);
                    return;
                }
                AddItem(delivery, item, ValidationErrors.Field(path, "configurationItem"), origin ?? ConfigurationOrigins.Notification, source);
                return;
            case "OversizedConfigurationItemChangeNotification":
                var location = value.TryGetProperty("s3DeliverySummary", out var summary) && summary.ValueKind == JsonValueKind.Object
                    ? Text(summary, "s3BucketLocation")
                    : null;
                var slash = location?.IndexOf('/') ?? -1;
                if (slash <= 0 || slash == location!.Length - 1)
                {
                    var error = summary.ValueKind == JsonValueKind.Object && Text(summary, "errorCode") is { } code
                        ? $" (Config reports {code}: {Text(summary, "errorMessage")})"
                        : "";
                    Refuse(delivery, value, path, "s3DeliverySummary.s3BucketLocation",
                        $"is missing or not bucket/key: the oversized item cannot be fetched{error}", source);
                    return;
                }
                await FetchAsync(value, path, "s3DeliverySummary.s3BucketLocation", location[..slash], location[(slash + 1)..],
                    ConfigurationOrigins.OversizedNotification, envelopes, fetched, delivery, cancellationToken);
                return;
            case "ConfigurationSnapshotDeliveryCompleted" or "ConfigurationHistoryDeliveryCompleted":
                if (Text(value, "s3Bucket") is not { } bucket || Text(value, "s3ObjectKey") is not { } key)
                {
                    Refuse(delivery, value, path, Text(value, "s3Bucket") is null ? "s3Bucket" : "s3ObjectKey",
                        $"is missing: the {messageType} names no file to fetch", source);
                    return;
                }
                await FetchAsync(value, path, "s3ObjectKey", bucket, key, ConfigurationOrigins.Snapshot, envelopes, fetched, delivery, cancellationToken);
                return;
            default:
                Refuse(delivery, value, path, "messageType", $"'{QueryParameters.Shorten(messageType)}' carries no configuration item", source);
                return;
        }
    }

    /// <summary>An envelope whose field holds the next layer as a JSON string (SNS's <c>Message</c>, a rule's <c>invokingEvent</c>).</summary>
    private async Task UnwrapAsync(
        JsonElement envelope, JsonElement inner, string path, string field, string? origin, string source, int envelopes, bool fetched,
        Delivery delivery, CancellationToken cancellationToken)
    {
        if (envelopes >= MaxEnvelopes)
        {
            Refuse(delivery, envelope, path, field, $"is wrapped in more than {MaxEnvelopes} envelopes", source);
            return;
        }
        if (inner.ValueKind == JsonValueKind.Object)
        {
            await ReadAsync(inner, ValidationErrors.Field(path, field), origin, source, envelopes + 1, fetched, delivery, cancellationToken);
            return;
        }
        if (inner.ValueKind != JsonValueKind.String || JsonBody.TryParse(Encoding.UTF8.GetBytes(inner.GetString()!), out var node) is not null || node is null)
        {
            Refuse(delivery, envelope, path, field, "is not a JSON document (an SNS Message or invokingEvent holds one as text)", source);
            return;
        }
        using var document = JsonDocument.Parse(node.ToJsonString(), new JsonDocumentOptions { MaxDepth = JsonBody.MaxDepth });
        await ReadAsync(document.RootElement.Clone(), ValidationErrors.Field(path, field), origin, source, envelopes + 1, fetched, delivery, cancellationToken);
    }

    /// <summary>Reads the object a notification names; an object fetched may not name another (no chains of fetches).</summary>
    private async Task FetchAsync(
        JsonElement notification, string path, string field, string bucket, string key, string origin, int envelopes, bool fetched,
        Delivery delivery, CancellationToken cancellationToken)
    {
        var objectSource = $"s3://{bucket}/{key}";
        if (fetched)
        {
            Refuse(delivery, notification, path, field, $"names {objectSource} from inside a fetched object: not followed", objectSource);
            return;
        }
        byte[] bytes;
        try
        {
            bytes = await objects.GetAsync(bucket, key, cancellationToken);
        }
        catch (ConfigurationObjectException ex)
        {
            delivery.Refused.Add(new RefusedPart(
                ValidationErrors.Field(path, field), ex.Message, Encoding.UTF8.GetBytes(notification.GetRawText()), objectSource, ex.Transient));
            return;
        }
        JsonNode? node = null;
        var problem = JsonBody.TryDecode(bytes, out _);
        problem ??= JsonBody.TryParse(bytes, out node);
        if (problem is not null || node is null)
        {
            var reason = problem is null ? "is empty" : string.Join("; ", problem.ProblemDetails.Errors.SelectMany(e => e.Value));
            delivery.Refused.Add(new RefusedPart(ValidationErrors.Field(path, field), $"{objectSource} {reason}", bytes, objectSource));
            return;
        }
        using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = JsonBody.MaxDepth });
        await ReadAsync(document.RootElement.Clone(), ValidationErrors.Field(path, field), origin, objectSource, envelopes, fetched: true, delivery, cancellationToken);
    }

    private void AddItem(Delivery delivery, JsonElement value, string path, string origin, string source)
    {
        var reading = ConfigurationItemReader.Read(value, path);
        if (reading.Item is null)
        {
            delivery.Refused.Add(new RefusedPart(reading.Field!.Length == 0 ? "body" : reading.Field, reading.Reason!, Encoding.UTF8.GetBytes(value.GetRawText()), source));
            return;
        }
        if (delivery.Items.Count >= options.MaxItems)
        {
            delivery.TooMany = $"holds more than {options.MaxItems} configuration items, the limit (Platform:Compliance:Intake:MaxItems)";
            return;
        }
        delivery.Items.Add(new DeliveredItem(reading.Item, origin));
    }

    private static void Refuse(Delivery delivery, JsonElement value, string path, string field, string reason, string source)
    {
        var name = field.Length == 0 ? path : ValidationErrors.Field(path, field);
        delivery.Refused.Add(new RefusedPart(name.Length == 0 ? "body" : name, reason, Encoding.UTF8.GetBytes(value.GetRawText()), source));
    }

    private static string? Text(JsonElement value, string name) =>
        value.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String ? property.GetString() : null;
}
