namespace Platform.Ingestion.Parsing;

/// <summary>
/// One CloudWatch Logs subscription message (gzip, zlib or plain JSON): a DATA_MESSAGE becomes its log events,
/// each classified and normalised; a CONTROL_MESSAGE is counted; anything else is rejected whole.
/// </summary>
public static class SubscriptionPayloadParser
{
    private const string LogEventUnit = "log event";

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <param name="data">The payload as delivered.</param>
    /// <param name="origin">Where it came from, kept with rejected input.</param>
    /// <param name="defaultLogGroup">The log group to assume when the message names none.</param>
    /// <param name="flowLogFormat">The source's flow log format, if it has a custom one.</param>
    /// <param name="receivedAt">When it was received: the event time of last resort.</param>
    /// <param name="maxDecodedBytes">The cap on the decompressed size.</param>
    /// <param name="batch">Receives the events, the rejected input and the control message count.</param>
    /// <returns>Null when the payload was read (single bad events are rejected one by one), otherwise why it was rejected whole.</returns>
    public static string? Parse(
        ReadOnlyMemory<byte> data,
        string origin,
        string? defaultLogGroup,
        FlowLogFormat? flowLogFormat,
        DateTimeOffset receivedAt,
        int maxDecodedBytes,
        ParsedBatch batch)
    {
        batch.BeginPayload(data, origin);
        var error = PayloadDecoder.TryDecode(data, maxDecodedBytes, out var decoded);
        if (error is not null)
        {
            return batch.Reject(error);
        }
        using (decoded)
        {
            // Events' records and documents are the unescaped messages, so their memory is not pooled.
            var messages = new MessageArena();
            var entries = new List<Entry>();
            SubscriptionMessage header;
            try
            {
                header = Read(decoded.Span, messages, entries);
            }
            catch (JsonException ex)
            {
                return batch.Reject($"not a subscription message: invalid JSON ({ex.Message})");
            }
            catch (InvalidOperationException ex)
            {
                return batch.Reject($"not a subscription message: {ex.Message}");
            }

            switch (header.MessageType)
            {
                case SubscriptionMessageType.Control:
                    batch.ControlMessages++;
                    return null;
                case SubscriptionMessageType.Data:
                    break;
                default:
                    return batch.Reject($"messageType is '{header.MessageType}', not {SubscriptionMessageType.Data} or {SubscriptionMessageType.Control}");
            }

            var logGroup = header.LogGroup ?? defaultLogGroup;
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                if (entry.Message < 0)
                {
                    batch.Reject(LogEventUnit, i, $"has no message (id {entry.Id ?? "none"})");
                    continue;
                }
                var timestamp = entry.Timestamp is > 0 and < 253_402_300_800_000
                    ? DateTimeOffset.FromUnixTimeMilliseconds(entry.Timestamp)
                    : receivedAt;
                var context = new LogEventContext(
                    logGroup, header.LogStream, header.Owner, entry.Id, timestamp, flowLogFormat,
                    logGroup ?? origin, i, header);
                batch.Add(LogEventNormalizer.Normalize(messages[entry.Message], context), LogEventUnit, i);
            }
        }
        return null;
    }

    private static SubscriptionMessage Read(ReadOnlySpan<byte> json, MessageArena messages, List<Entry> entries)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        // Where the reader's span starts in the payload: the reader is resumed past each message it did not read.
        var offset = 0;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidOperationException("the payload is not a JSON object");
        }
        string? messageType = null, owner = null, logGroup = null, logStream = null, policyLevel = null;
        List<string> filters = [];
        var sawEvents = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("logEvents"u8))
            {
                reader.Read();
                Expect(ref reader, JsonTokenType.StartArray, "logEvents");
                sawEvents = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    Expect(ref reader, JsonTokenType.StartObject, "a log event");
                    entries.Add(ReadEntry(json, ref reader, ref offset, messages));
                }
                continue;
            }
            var field = Header(ref reader);
            reader.Read();
            if (field == HeaderField.SubscriptionFilters && reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        filters.Add(reader.GetString()!);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                continue;
            }
            if (field == HeaderField.Other || reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                continue;
            }
            var value = reader.GetString();
            switch (field)
            {
                case HeaderField.MessageType:
                    messageType = value;
                    break;
                case HeaderField.Owner:
                    owner = value;
                    break;
                case HeaderField.LogGroup:
                    logGroup = value;
                    break;
                case HeaderField.LogStream:
                    logStream = value;
                    break;
                case HeaderField.PolicyLevel:
                    policyLevel = value;
                    break;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new InvalidOperationException("the payload's JSON object is not closed");
        }
        // Anything after the object (a second document, garbage) makes the payload suspect.
        if (reader.Read())
        {
            throw new InvalidOperationException("the payload has content after its JSON object");
        }
        if (messageType is null)
        {
            throw new InvalidOperationException("the payload has no messageType");
        }
        if (messageType == SubscriptionMessageType.Data && !sawEvents)
        {
            throw new InvalidOperationException("the DATA_MESSAGE has no logEvents");
        }
        return new SubscriptionMessage(messageType, owner, logGroup, logStream, filters.ToArray(), policyLevel);
    }

    private static Entry ReadEntry(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, ref int offset, MessageArena messages)
    {
        string? id = null;
        long timestamp = 0;
        var message = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                // The reader has consumed the colon: the value starts after any whitespace.
                var value = offset + (int)reader.BytesConsumed;
                value += json[value..].IndexOfAnyExcept(" \t\r\n"u8) is var space and >= 0 ? space : 0;
                if (value < json.Length && json[value] == (byte)'"' && messages.TryAddString(json, value, out var end))
                {
                    message = messages.Count - 1;
                    reader = ResumeAfterString(reader.CurrentState, json[end..]);
                    offset = end;
                    continue;
                }
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    messages.Add(ref reader);
                    message = messages.Count - 1;
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out timestamp))
                {
                    timestamp = 0;
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return new Entry(id is { Length: > 0 } ? id : null, timestamp, message);
    }

    /// <summary>
    /// A reader that carries on after a string value read without it: the state after a property name, moved past
    /// a stand-in empty string, continues over the rest of the payload (as a reader continues over the next block).
    /// </summary>
    private static Utf8JsonReader ResumeAfterString(JsonReaderState afterPropertyName, ReadOnlySpan<byte> rest)
    {
        var standIn = new Utf8JsonReader("\"\""u8, isFinalBlock: false, afterPropertyName);
        standIn.Read();
        return new Utf8JsonReader(rest, isFinalBlock: true, standIn.CurrentState);
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (reader.TokenType != type)
        {
            throw new InvalidOperationException($"{what} is a {reader.TokenType}, expected {type}");
        }
    }

    private static HeaderField Header(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("messageType"u8) ? HeaderField.MessageType
        : reader.ValueTextEquals("owner"u8) ? HeaderField.Owner
        : reader.ValueTextEquals("logGroup"u8) ? HeaderField.LogGroup
        : reader.ValueTextEquals("logStream"u8) ? HeaderField.LogStream
        : reader.ValueTextEquals("policyLevel"u8) ? HeaderField.PolicyLevel
        : reader.ValueTextEquals("subscriptionFilters"u8) ? HeaderField.SubscriptionFilters
        : HeaderField.Other;

    private enum HeaderField
    {
        Other,
        MessageType,
        Owner,
        LogGroup,
        LogStream,
        PolicyLevel,
        SubscriptionFilters,
    }

    /// <param name="Id">The CloudWatch Logs event id.</param>
    /// <param name="Timestamp">The CloudWatch Logs timestamp (epoch milliseconds), 0 when absent.</param>
    /// <param name="Message">The message's index in the arena; -1 when the event has none.</param>
    private readonly record struct Entry(string? Id, long Timestamp, int Message);
}
