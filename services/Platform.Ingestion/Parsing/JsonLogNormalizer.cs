using System.Runtime.InteropServices;
using System.Text.Json;
using Platform.Contracts.Ingestion;

namespace Platform.Ingestion.Parsing;

/// <summary>
/// A JSON log record: a CloudTrail record (recognised by <c>eventVersion</c>, <c>eventSource</c> and
/// <c>eventName</c>) or an application's JSON log, with the envelope fields lifted out in one pass over its
/// top-level properties.
/// </summary>
public static class JsonLogNormalizer
{
    public static ParsedLogEvent Normalize(JsonElement record, ReadOnlyMemory<byte> raw, in LogEventContext context)
    {
        var fields = new Lifted();
        foreach (var property in record.EnumerateObject())
        {
            fields.Take(JsonMarshal.GetRawUtf8PropertyName(property), property.Value);
        }
        return fields.IsCloudTrail
            ? CloudTrail(fields, record, raw, context)
            : Application(fields, record, raw, context);
    }

    /// <summary>Whether a record is CloudTrail's, without normalising it.</summary>
    public static bool IsCloudTrail(JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        var fields = new Lifted();
        foreach (var property in record.EnumerateObject())
        {
            fields.Take(JsonMarshal.GetRawUtf8PropertyName(property), property.Value);
        }
        return fields.IsCloudTrail;
    }

    private static ParsedLogEvent CloudTrail(in Lifted fields, JsonElement record, ReadOnlyMemory<byte> raw, in LogEventContext context)
    {
        string? principal = null;
        JsonElement identityAccount = default;
        if (fields.UserIdentity.ValueKind == JsonValueKind.Object)
        {
            JsonElement arn = default, type = default, invokedBy = default, userName = default;
            foreach (var property in fields.UserIdentity.EnumerateObject())
            {
                var name = JsonMarshal.GetRawUtf8PropertyName(property);
                if (name.SequenceEqual("arn"u8))
                {
                    arn = property.Value;
                }
                else if (name.SequenceEqual("type"u8))
                {
                    type = property.Value;
                }
                else if (name.SequenceEqual("invokedBy"u8))
                {
                    invokedBy = property.Value;
                }
                else if (name.SequenceEqual("userName"u8))
                {
                    userName = property.Value;
                }
                else if (name.SequenceEqual("accountId"u8))
                {
                    identityAccount = property.Value;
                }
            }
            // Root and anonymous callers often have no ARN: name them by what they are.
            principal = NonEmpty(arn)
                ?? (type.ValueKind == JsonValueKind.String && type.ValueEquals("Root"u8) ? "root" : null)
                ?? NonEmpty(invokedBy) ?? NonEmpty(userName) ?? NonEmpty(type);
        }

        var eventTime = fields.EventTime.ValueKind == JsonValueKind.String && fields.EventTime.TryGetDateTimeOffset(out var at)
            ? at
            : context.Timestamp;
        var eventId = Unique(fields.EventId) ?? context.CloudWatchEventId ?? EventIds.FromContent(context.IdScope, raw.Span, context.Position);
        return new ParsedLogEvent(
            new NormalizedLogEvent(
                eventId,
                LogSourceTypes.CloudTrail,
                eventTime,
                context.LogGroup,
                context.LogStream,
                NonEmpty(fields.RecipientAccountId) ?? NonEmpty(identityAccount) ?? context.Owner,
                NonEmpty(fields.AwsRegion),
                NonEmpty(fields.EventSource),
                NonEmpty(fields.EventName),
                principal,
                // As written, even when malformed (leading zeros, service names): rules match the text.
                NonEmpty(fields.SourceIpAddress),
                NonEmpty(fields.ErrorCode),
                record),
            raw,
            DocumentIsRecord: true,
            context.Subscription);
    }

    private static ParsedLogEvent Application(in Lifted fields, JsonElement record, ReadOnlyMemory<byte> raw, in LogEventContext context)
    {
        var eventId = context.CloudWatchEventId ?? EventIds.FromContent(context.IdScope, raw.Span, context.Position);
        return new ParsedLogEvent(
            new NormalizedLogEvent(
                eventId,
                LogSourceTypes.Application,
                Time(fields.Time) ?? context.Timestamp,
                context.LogGroup,
                context.LogStream,
                context.Owner,
                NonEmpty(fields.Region),
                EventSource: null,
                NonEmpty(fields.EventType),
                NonEmpty(fields.User),
                NonEmpty(fields.SourceIp),
                NonEmpty(fields.ErrorCode),
                record),
            raw,
            DocumentIsRecord: true,
            context.Subscription);
    }

    /// <summary>An ISO 8601 string, or epoch seconds or milliseconds.</summary>
    private static DateTimeOffset? Time(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var at))
        {
            return at;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var epoch) && epoch > 0)
        {
            // Milliseconds from 2001-09-09 on; seconds before that would be 33658 AD.
            return epoch >= 1_000_000_000_000 && epoch < 253_402_300_800_000 ? DateTimeOffset.FromUnixTimeMilliseconds(epoch)
                : epoch < 253_402_300_800 ? DateTimeOffset.FromUnixTimeSeconds(epoch)
                : null;
        }
        return null;
    }

    private static string? NonEmpty(JsonElement value) => RepeatedStrings.NonEmpty(value);

    /// <summary>A value unique to its record (an event id): not worth remembering.</summary>
    private static string? Unique(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    /// <summary>The top-level properties either kind of record lifts; the first of each alias wins.</summary>
    private struct Lifted
    {
        public JsonElement EventVersion, EventSource, EventName, EventTime, EventId, AwsRegion, SourceIpAddress, ErrorCode,
            RecipientAccountId, UserIdentity, EventType, SourceIp, User, Time, Region;

        public readonly bool IsCloudTrail =>
            EventVersion.ValueKind == JsonValueKind.String
            && EventSource.ValueKind == JsonValueKind.String
            && EventName.ValueKind == JsonValueKind.String;

        public void Take(ReadOnlySpan<byte> name, JsonElement value)
        {
            switch (name.Length)
            {
                case 2 when name.SequenceEqual("ip"u8):
                    SetOnce(ref SourceIp, value);
                    break;
                case 4 when name.SequenceEqual("user"u8):
                    SetOnce(ref User, value);
                    break;
                case 4 when name.SequenceEqual("time"u8):
                    SetOnce(ref Time, value);
                    break;
                case 6 when name.SequenceEqual("region"u8):
                    SetOnce(ref Region, value);
                    break;
                case 7 when name.SequenceEqual("eventID"u8):
                    EventId = value;
                    break;
                case 8 when name.SequenceEqual("sourceIP"u8) || name.SequenceEqual("sourceIp"u8):
                    SetOnce(ref SourceIp, value);
                    break;
                case 8 when name.SequenceEqual("username"u8) || name.SequenceEqual("userName"u8):
                    SetOnce(ref User, value);
                    break;
                case 9 when name.SequenceEqual("eventName"u8):
                    EventName = value;
                    break;
                case 9 when name.SequenceEqual("eventTime"u8):
                    EventTime = value;
                    break;
                case 9 when name.SequenceEqual("awsRegion"u8):
                    AwsRegion = value;
                    break;
                case 9 when name.SequenceEqual("errorCode"u8):
                    ErrorCode = value;
                    break;
                case 9 when name.SequenceEqual("eventType"u8):
                    EventType = value;
                    break;
                case 9 when name.SequenceEqual("source_ip"u8):
                    SetOnce(ref SourceIp, value);
                    break;
                case 9 when name.SequenceEqual("principal"u8):
                    SetOnce(ref User, value);
                    break;
                case 9 when name.SequenceEqual("timestamp"u8):
                    SetOnce(ref Time, value);
                    break;
                case 10 when name.SequenceEqual("@timestamp"u8):
                    SetOnce(ref Time, value);
                    break;
                case 11 when name.SequenceEqual("eventSource"u8):
                    EventSource = value;
                    break;
                case 12 when name.SequenceEqual("eventVersion"u8):
                    EventVersion = value;
                    break;
                case 12 when name.SequenceEqual("userIdentity"u8):
                    UserIdentity = value;
                    break;
                case 15 when name.SequenceEqual("sourceIPAddress"u8):
                    SourceIpAddress = value;
                    break;
                case 18 when name.SequenceEqual("recipientAccountId"u8):
                    RecipientAccountId = value;
                    break;
            }
        }

        private static void SetOnce(ref JsonElement field, JsonElement value)
        {
            if (field.ValueKind == JsonValueKind.Undefined)
            {
                field = value;
            }
        }
    }
}
