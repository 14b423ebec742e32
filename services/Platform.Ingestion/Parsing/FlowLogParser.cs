namespace Platform.Ingestion.Parsing;

/// <summary>
/// One VPC Flow Logs record: its fields become a document keyed by AWS's field names (<c>account-id</c>,
/// <c>log-status</c>), numbers as numbers, <c>-</c> (no value) left out.
/// </summary>
public static class FlowLogParser
{
    private const int MaxFields = 64;

    /// <summary>
    /// A default-format (version 2) record: 14 fields, the first a version number, the third an interface id.
    /// </summary>
    public static bool LooksLikeDefaultFormat(ReadOnlySpan<byte> line)
    {
        Span<Range> ranges = stackalloc Range[16];
        var count = Tokenize(line, ranges);
        if (count != 14)
        {
            return false;
        }
        var version = line[ranges[0]];
        var interfaceId = line[ranges[2]];
        return version.Length is > 0 and <= 2 && version.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0
            && (interfaceId.StartsWith("eni-"u8) || interfaceId.SequenceEqual("-"u8));
    }

    /// <returns>Null on success, otherwise why the line is not a record of <paramref name="format"/>.</returns>
    public static string? TryParse(ReadOnlyMemory<byte> line, FlowLogFormat format, in LogEventContext context, out ParsedLogEvent? parsed)
    {
        parsed = null;
        var span = line.Span;
        Span<Range> ranges = stackalloc Range[MaxFields + 1];
        var count = Tokenize(span, ranges);
        if (count != format.Fields.Count)
        {
            return $"the flow log record has {(count > MaxFields ? $"more than {MaxFields}" : count)} fields; its format has {format.Fields.Count}";
        }

        var buffer = new ArrayBufferWriter<byte>(span.Length * 2 + 64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            for (var i = 0; i < count; i++)
            {
                var value = span[ranges[i]];
                if (value.SequenceEqual("-"u8))
                {
                    continue;
                }
                var name = format.Fields[i];
                if (format.IsNumeric[i] && Utf8Parser.TryParse(value, out long number, out var consumed) && consumed == value.Length)
                {
                    writer.WriteNumber(name, number);
                }
                else
                {
                    writer.WriteString(name, value);
                }
            }
            writer.WriteEndObject();
        }
        var document = LogDocument.FromValidUtf8(buffer.WrittenMemory);

        var start = Field(span, ranges, format, "start");
        var eventTime = !start.IsEmpty
                        && Utf8Parser.TryParse(start, out long seconds, out var used) && used == start.Length
                        && seconds is > 0 and < 253402300800
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : context.Timestamp;
        var eventId = context.CloudWatchEventId ?? EventIds.FromContent(context.IdScope, span, context.Position);

        parsed = new ParsedLogEvent(
            new NormalizedLogEvent(
                eventId,
                LogSourceTypes.VpcFlow,
                eventTime,
                context.LogGroup,
                context.LogStream,
                FieldString(span, ranges, format, "account-id") ?? context.Owner,
                FieldString(span, ranges, format, "region"),
                EventSource: null,
                EventName: null,
                Principal: null,
                FieldString(span, ranges, format, "srcaddr") ?? FieldString(span, ranges, format, "pkt-srcaddr"),
                ErrorCode: null,
                document),
            line,
            DocumentIsRecord: false,
            context.Subscription);
        return null;
    }

    /// <summary>Splits on runs of spaces or tabs; returns how many tokens (stops counting past the span's room).</summary>
    private static int Tokenize(ReadOnlySpan<byte> line, Span<Range> ranges)
    {
        var count = 0;
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && line[i] is (byte)' ' or (byte)'\t')
            {
                i++;
            }
            if (i == line.Length)
            {
                break;
            }
            var start = i;
            while (i < line.Length && line[i] is not ((byte)' ' or (byte)'\t'))
            {
                i++;
            }
            if (count == ranges.Length)
            {
                return count + 1;
            }
            ranges[count++] = new Range(start, i);
        }
        return count;
    }

    private static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> line, ReadOnlySpan<Range> ranges, FlowLogFormat format, string name)
    {
        if (!format.IndexOf.TryGetValue(name, out var index))
        {
            return default;
        }
        var value = line[ranges[index]];
        return value.SequenceEqual("-"u8) ? default : value;
    }

    private static string? FieldString(ReadOnlySpan<byte> line, ReadOnlySpan<Range> ranges, FlowLogFormat format, string name)
    {
        var value = Field(line, ranges, format, name);
        return value.IsEmpty ? null : Encoding.UTF8.GetString(value);
    }
}
