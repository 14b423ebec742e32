using System.Buffers;
using System.Text.Json;
using Platform.Contracts.Ingestion;

namespace Platform.Ingestion.Parsing;

/// <summary>
/// Classifies one log message and normalises it: a JSON object (CloudTrail or application), a VPC Flow Logs
/// record (the source's format, or the default one when the line has its shape), or plain text.
/// </summary>
public static class LogEventNormalizer
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <remarks>The event keeps a reference to <paramref name="message"/>'s memory: do not reuse it.</remarks>
    public static ParsedLogEvent Normalize(ReadOnlyMemory<byte> message, in LogEventContext context) =>
        Normalize(message, default, context);

    /// <param name="message">The message.</param>
    /// <param name="record">The message already parsed as a JSON object (with others of its payload), or undefined.</param>
    /// <param name="context">Where and when it was logged.</param>
    public static ParsedLogEvent Normalize(ReadOnlyMemory<byte> message, JsonElement record, in LogEventContext context)
    {
        if (record.ValueKind == JsonValueKind.Object)
        {
            return JsonLogNormalizer.Normalize(record, message, context);
        }
        var span = message.Span;
        var start = span.IndexOfAnyExcept(" \t\r\n"u8);
        if (start >= 0 && span[start] == (byte)'{' && TryParseObject(message, out var parsed))
        {
            return JsonLogNormalizer.Normalize(parsed, message, context);
        }
        if (context.FlowLogFormat is { } format && FlowLogParser.TryParse(message, format, context, out var custom) is null)
        {
            return custom!;
        }
        if (FlowLogParser.LooksLikeDefaultFormat(span) && FlowLogParser.TryParse(message, FlowLogFormat.Default, context, out var flow) is null)
        {
            return flow!;
        }
        return Text(message, context);
    }

    /// <summary>Plain text: the document is <c>{"message": ...}</c>.</summary>
    public static ParsedLogEvent Text(ReadOnlyMemory<byte> message, in LogEventContext context)
    {
        var buffer = new ArrayBufferWriter<byte>(message.Length + 32);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("message"u8, message.Span);
            writer.WriteEndObject();
        }
        var document = JsonDocument.Parse(buffer.WrittenMemory).RootElement;
        var eventId = context.CloudWatchEventId ?? EventIds.FromContent(context.IdScope, message.Span, context.Position);
        return new ParsedLogEvent(
            new NormalizedLogEvent(eventId, LogSourceTypes.Text, context.Timestamp, context.LogGroup, context.LogStream, context.Owner,
                Region: null, EventSource: null, EventName: null, Principal: null, SourceIp: null, ErrorCode: null, document),
            message,
            DocumentIsRecord: false,
            context.Subscription);
    }

    private static bool TryParseObject(ReadOnlyMemory<byte> json, out JsonElement record)
    {
        record = default;
        try
        {
            // Not disposed on purpose: the element is the event's document and lives as long as the event.
            record = JsonDocument.Parse(json, DocumentOptions).RootElement;
            return record.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            // Text that merely starts with a brace is still a log line.
            return false;
        }
    }
}
