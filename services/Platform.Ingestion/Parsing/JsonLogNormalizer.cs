namespace Platform.Ingestion.Parsing;

/// <summary>
/// A JSON log record: a CloudTrail record (recognised by <c>eventVersion</c>, <c>eventSource</c> and
/// <c>eventName</c>) or an application's JSON log. One reader pass checks that the message is exactly one JSON
/// object and lifts the envelope fields from its top-level properties (and CloudTrail's <c>userIdentity</c>); no
/// tree is built: the record's bytes are its document.
/// </summary>
public static class JsonLogNormalizer
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>The event, or null when the message is not exactly one JSON object.</summary>
    public static ParsedLogEvent? TryNormalize(ReadOnlyMemory<byte> message, in LogEventContext context)
    {
        var json = message.Span;
        var fields = new Lifted();
        int start, end;
        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            start = (int)reader.TokenStartIndex;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                fields.Take(ref reader);
            }
            end = (int)reader.BytesConsumed;
            // A second value after the object makes it something else (the reader throws on most).
            if (reader.Read())
            {
                return null;
            }
        }
        catch (JsonException)
        {
            return null;
        }

        var record = message[start..end];
        return fields.IsCloudTrail
            ? CloudTrail(fields, json, record, message, context)
            : Application(fields, json, record, message, context);
    }

    private static ParsedLogEvent CloudTrail(in Lifted fields, ReadOnlySpan<byte> json, ReadOnlyMemory<byte> record, ReadOnlyMemory<byte> message, in LogEventContext context)
    {
        // Root and anonymous callers often have no ARN: name them by what they are.
        var principal = fields.UserIdentity
            ? Text(json, fields.Arn)
              ?? (fields.IdentityType.Is(json, "Root"u8) ? "root" : null)
              ?? Text(json, fields.InvokedBy) ?? Text(json, fields.UserName) ?? Text(json, fields.IdentityType)
            : null;
        var eventId = Text(json, fields.EventId, repeats: false) ?? context.CloudWatchEventId ?? EventIds.FromContent(context.IdScope, message.Span, context.Position);
        return new ParsedLogEvent(
            new NormalizedLogEvent(
                eventId,
                LogSourceTypes.CloudTrail,
                fields.EventTime ?? context.Timestamp,
                context.LogGroup,
                context.LogStream,
                Text(json, fields.RecipientAccountId) ?? Text(json, fields.IdentityAccount) ?? context.Owner,
                Text(json, fields.AwsRegion),
                Text(json, fields.EventSource),
                Text(json, fields.EventName),
                principal,
                // As written, even when malformed (leading zeros, service names): rules match the text.
                Text(json, fields.SourceIpAddress),
                Text(json, fields.ErrorCode),
                LogDocument.FromValidUtf8(record)),
            message,
            DocumentIsRecord: true,
            context.Subscription);
    }

    private static ParsedLogEvent Application(in Lifted fields, ReadOnlySpan<byte> json, ReadOnlyMemory<byte> record, ReadOnlyMemory<byte> message, in LogEventContext context)
    {
        var eventId = context.CloudWatchEventId ?? EventIds.FromContent(context.IdScope, message.Span, context.Position);
        return new ParsedLogEvent(
            new NormalizedLogEvent(
                eventId,
                LogSourceTypes.Application,
                fields.Time ?? context.Timestamp,
                context.LogGroup,
                context.LogStream,
                context.Owner,
                Text(json, fields.Region),
                EventSource: null,
                Text(json, fields.EventType),
                Text(json, fields.User),
                Text(json, fields.SourceIp),
                Text(json, fields.ErrorCode),
                LogDocument.FromValidUtf8(record)),
            message,
            DocumentIsRecord: true,
            context.Subscription);
    }

    /// <summary>
    /// A non-empty string value's text, else null. Short values that repeat are shared; a value unique to its
    /// record (an event id) is not worth remembering.
    /// </summary>
    private static string? Text(ReadOnlySpan<byte> json, Value value, bool repeats = true) =>
        value.Kind != JsonTokenType.String || value.Length == 0 ? null
        : value.Escaped ? Unescaped(json, value)
        : repeats ? RepeatedStrings.Get(json.Slice(value.Start, value.Length))
        : Encoding.UTF8.GetString(json.Slice(value.Start, value.Length));

    private static string? Unescaped(ReadOnlySpan<byte> json, Value value)
    {
        // The quoted string alone, read again to unescape it.
        var reader = new Utf8JsonReader(json.Slice(value.Start - 1, value.Length + 2));
        reader.Read();
        return reader.GetString() is { Length: > 0 } text ? text : null;
    }

    /// <summary>An ISO 8601 string, or epoch seconds or milliseconds.</summary>
    private static DateTimeOffset? Time(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var at))
        {
            return at;
        }
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var epoch) && epoch > 0)
        {
            // Milliseconds from 2001-09-09 on; seconds before that would be 33658 AD.
            return epoch >= 1_000_000_000_000 && epoch < 253_402_300_800_000 ? DateTimeOffset.FromUnixTimeMilliseconds(epoch)
                : epoch < 253_402_300_800 ? DateTimeOffset.FromUnixTimeSeconds(epoch)
                : null;
        }
        return null;
    }

    /// <summary>Where a scalar value lies in the message: a string's content (between its quotes), or any other token.</summary>
    private readonly record struct Value(JsonTokenType Kind, int Start, int Length, bool Escaped)
    {
        public static Value Of(ref Utf8JsonReader reader)
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                var kind = reader.TokenType;
                reader.Skip();
                return new Value(kind, 0, 0, false);
            }
            return reader.TokenType == JsonTokenType.String
                ? new Value(JsonTokenType.String, (int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, reader.ValueIsEscaped)
                : new Value(reader.TokenType, 0, 0, false);
        }

        public bool Is(ReadOnlySpan<byte> json, ReadOnlySpan<byte> text) =>
            Kind == JsonTokenType.String && !Escaped && json.Slice(Start, Length).SequenceEqual(text);
    }

    /// <summary>The top-level properties either kind of record lifts; the first of each alias wins.</summary>
    private struct Lifted
    {
        public Value EventVersion, EventSource, EventName, EventId, AwsRegion, SourceIpAddress, ErrorCode, RecipientAccountId,
            EventType, SourceIp, User, Region, Arn, IdentityType, InvokedBy, UserName, IdentityAccount;

        public DateTimeOffset? EventTime, Time;

        public bool UserIdentity, SawTime;

        public readonly bool IsCloudTrail =>
            EventVersion.Kind == JsonTokenType.String
            && EventSource.Kind == JsonTokenType.String
            && EventName.Kind == JsonTokenType.String;

        /// <summary>Reads the property the reader is on and its value, keeping what it lifts.</summary>
        public void Take(ref Utf8JsonReader reader)
        {
            // Escaped property names are compared unescaped; the usual ones are compared as they are.
            Span<byte> unescaped = stackalloc byte[24];
            var name = !reader.ValueIsEscaped ? reader.ValueSpan
                : reader.ValueSpan.Length <= unescaped.Length ? unescaped[..reader.CopyString(unescaped)]
                : [];
            reader.Read();
            switch (name.Length)
            {
                case 2 when name.SequenceEqual("ip"u8):
                    SetOnce(ref SourceIp, ref reader);
                    return;
                case 4 when name.SequenceEqual("user"u8):
                    SetOnce(ref User, ref reader);
                    return;
                case 4 when name.SequenceEqual("time"u8):
                    TimeOnce(ref reader);
                    return;
                case 6 when name.SequenceEqual("region"u8):
                    SetOnce(ref Region, ref reader);
                    return;
                case 7 when name.SequenceEqual("eventID"u8):
                    EventId = Value.Of(ref reader);
                    return;
                case 8 when name.SequenceEqual("sourceIP"u8) || name.SequenceEqual("sourceIp"u8):
                    SetOnce(ref SourceIp, ref reader);
                    return;
                case 8 when name.SequenceEqual("username"u8) || name.SequenceEqual("userName"u8):
                    SetOnce(ref User, ref reader);
                    return;
                case 9 when name.SequenceEqual("eventName"u8):
                    EventName = Value.Of(ref reader);
                    return;
                case 9 when name.SequenceEqual("eventTime"u8):
                    EventTime = reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var at) ? at : null;
                    SkipContainer(ref reader);
                    return;
                case 9 when name.SequenceEqual("awsRegion"u8):
                    AwsRegion = Value.Of(ref reader);
                    return;
                case 9 when name.SequenceEqual("errorCode"u8):
                    ErrorCode = Value.Of(ref reader);
                    return;
                case 9 when name.SequenceEqual("eventType"u8):
                    EventType = Value.Of(ref reader);
                    return;
                case 9 when name.SequenceEqual("source_ip"u8):
                    SetOnce(ref SourceIp, ref reader);
                    return;
                case 9 when name.SequenceEqual("principal"u8):
                    SetOnce(ref User, ref reader);
                    return;
                case 9 when name.SequenceEqual("timestamp"u8):
                    TimeOnce(ref reader);
                    return;
                case 10 when name.SequenceEqual("@timestamp"u8):
                    TimeOnce(ref reader);
                    return;
                case 11 when name.SequenceEqual("eventSource"u8):
                    EventSource = Value.Of(ref reader);
                    return;
                case 12 when name.SequenceEqual("eventVersion"u8):
                    EventVersion = Value.Of(ref reader);
                    return;
                case 12 when name.SequenceEqual("userIdentity"u8):
                    TakeUserIdentity(ref reader);
                    return;
                case 15 when name.SequenceEqual("sourceIPAddress"u8):
                    SourceIpAddress = Value.Of(ref reader);
                    return;
                case 18 when name.SequenceEqual("recipientAccountId"u8):
                    RecipientAccountId = Value.Of(ref reader);
                    return;
                default:
                    reader.Skip();
                    return;
            }
        }

        private void TakeUserIdentity(ref Utf8JsonReader reader)
        {
            (UserIdentity, Arn, IdentityType, InvokedBy, UserName, IdentityAccount) = (false, default, default, default, default, default);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return;
            }
            UserIdentity = true;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var ignored = default(Value);
                ref var field = ref ignored;
                if (reader.ValueTextEquals("arn"u8))
                {
                    field = ref Arn;
                }
                else if (reader.ValueTextEquals("type"u8))
                {
                    field = ref IdentityType;
                }
                else if (reader.ValueTextEquals("invokedBy"u8))
                {
                    field = ref InvokedBy;
                }
                else if (reader.ValueTextEquals("userName"u8))
                {
                    field = ref UserName;
                }
                else if (reader.ValueTextEquals("accountId"u8))
                {
                    field = ref IdentityAccount;
                }
                reader.Read();
                field = Value.Of(ref reader);
            }
        }

        private void TimeOnce(ref Utf8JsonReader reader)
        {
            if (!SawTime)
            {
                SawTime = true;
                Time = JsonLogNormalizer.Time(ref reader);
            }
            SkipContainer(ref reader);
        }

        private static void SetOnce(ref Value field, ref Utf8JsonReader reader)
        {
            var value = Value.Of(ref reader);
            if (field.Kind == JsonTokenType.None)
            {
                field = value;
            }
        }

        private static void SkipContainer(ref Utf8JsonReader reader)
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }
    }
}
