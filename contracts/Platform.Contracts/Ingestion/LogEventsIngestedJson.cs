namespace Platform.Contracts.Ingestion;

/// <summary>
/// Reads a <see cref="LogEventsIngested"/> from the JSON element a message's envelope already parsed, as the platform's
/// JSON writes it (camel-case names, nulls left out). Each event's document stays an element of that same parse: read
/// this way a batch is parsed once, where deserialising the element again parses every byte a second time and each
/// document a third (into a document of its own). Every service that consumes ingested batches reads them here.
/// </summary>
public static class LogEventsIngestedJson
{
    /// <summary>The batch <paramref name="message"/> holds; <see cref="JsonException"/> naming the field that is missing or of the wrong kind.</summary>
    public static LogEventsIngested Read(JsonElement message)
    {
        Expect(message, JsonValueKind.Object, "message");
        var events = Required(message, "events", JsonValueKind.Array);
        var list = new NormalizedLogEvent[events.GetArrayLength()];
        var i = 0;
        foreach (var e in events.EnumerateArray())
        {
            Expect(e, JsonValueKind.Object, $"events[{i}]");
            list[i++] = new NormalizedLogEvent(
                RequiredString(e, "eventId"),
                RequiredString(e, "sourceType"),
                Time(e, "eventTime"),
                OptionalString(e, "logGroup"),
                OptionalString(e, "logStream"),
                OptionalString(e, "account"),
                OptionalString(e, "region"),
                OptionalString(e, "eventSource"),
                OptionalString(e, "eventName"),
                OptionalString(e, "principal"),
                OptionalString(e, "sourceIp"),
                OptionalString(e, "errorCode"),
                LogDocument.FromElement(Required(e, "document", JsonValueKind.Undefined)));
        }
        var batchId = Required(message, "batchId", JsonValueKind.String);
        return new LogEventsIngested(
            batchId.TryGetGuid(out var id) ? id : throw new JsonException("batchId: is not a GUID"),
            RequiredString(message, "source"),
            Time(message, "ingestedAt"),
            list);
    }

    /// <summary>The property <paramref name="name"/>, of <paramref name="kind"/> unless that is <see cref="JsonValueKind.Undefined"/> (any value).</summary>
    private static JsonElement Required(JsonElement owner, string name, JsonValueKind kind)
    {
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new JsonException($"{name}: is required");
        }
        if (kind != JsonValueKind.Undefined)
        {
            Expect(value, kind, name);
        }
        return value;
    }

    private static string RequiredString(JsonElement owner, string name) => Required(owner, name, JsonValueKind.String).GetString()!;

    private static string? OptionalString(JsonElement owner, string name)
    {
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        Expect(value, JsonValueKind.String, name);
        return value.GetString();
    }

    private static DateTimeOffset Time(JsonElement owner, string name) =>
        Required(owner, name, JsonValueKind.String).TryGetDateTimeOffset(out var time)
            ? time
            : throw new JsonException($"{name}: is not an ISO 8601 time");

    private static void Expect(JsonElement value, JsonValueKind kind, string name)
    {
        if (value.ValueKind != kind)
        {
            throw new JsonException($"{name}: expected {kind.ToString().ToLowerInvariant()}, found {value.ValueKind.ToString().ToLowerInvariant()}");
        }
    }
}
