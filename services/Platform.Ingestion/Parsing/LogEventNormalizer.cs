namespace Platform.Ingestion.Parsing;

/// <summary>
/// Classifies one log message and normalises it: a JSON object (CloudTrail or application), a VPC Flow Logs
/// record (the source's format, or the default one when the line has its shape), or plain text.
/// </summary>
public static class LogEventNormalizer
{
    /// <remarks>The event keeps a reference to <paramref name="message"/>'s memory: do not reuse it.</remarks>
    public static ParsedLogEvent Normalize(ReadOnlyMemory<byte> message, in LogEventContext context)
    {
        var span = message.Span;
        var start = span.IndexOfAnyExcept(" \t\r\n"u8);
        // Text that merely starts with a brace is still a log line.
        if (start >= 0 && span[start] == (byte)'{' && JsonLogNormalizer.TryNormalize(message, context) is { } json)
        {
            return json;
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
        var eventId = context.CloudWatchEventId ?? EventIds.FromContent(context.IdScope, message.Span, context.Position);
        return new ParsedLogEvent(
            new NormalizedLogEvent(eventId, LogSourceTypes.Text, context.Timestamp, context.LogGroup, context.LogStream, context.Owner,
                Region: null, EventSource: null, EventName: null, Principal: null, SourceIp: null, ErrorCode: null,
                LogDocument.FromValidUtf8(buffer.WrittenMemory)),
            message,
            DocumentIsRecord: false,
            context.Subscription);
    }
}
