namespace Platform.Ingestion.Parsing;

/// <summary>
/// A VPC Flow Logs file (gzip or plain), with or without its header line. The header, when present, names the
/// fields; otherwise the given format, otherwise the default one.
/// </summary>
public static class FlowLogFileParser
{
    /// <returns>Null when the file was read (bad lines are rejected one by one), otherwise why the whole file was refused.</returns>
    public static string? Parse(
        ReadOnlyMemory<byte> data, string origin, string? logGroup, FlowLogFormat? format, DateTimeOffset receivedAt, int maxDecodedBytes, ParsedBatch batch)
    {
        batch.BeginPayload(data, origin);
        if (PayloadDecoder.TryDecodeToArray(data, maxDecodedBytes, out var text) is { } error)
        {
            return batch.Reject(error);
        }

        var scope = logGroup ?? origin;
        var lineNumber = 0;
        var first = true;
        ReadOnlyMemory<byte> remaining = text;
        while (!remaining.IsEmpty)
        {
            var end = remaining.Span.IndexOf((byte)'\n');
            var line = end < 0 ? remaining : remaining[..end];
            remaining = end < 0 ? ReadOnlyMemory<byte>.Empty : remaining[(end + 1)..];
            lineNumber++;
            if (!line.IsEmpty && line.Span[^1] == (byte)'\r')
            {
                line = line[..^1];
            }
            if (line.Span.IndexOfAnyExcept(" \t"u8) < 0)
            {
                continue;
            }
            if (first)
            {
                first = false;
                if (FlowLogFormat.TryParseHeader(System.Text.Encoding.UTF8.GetString(line.Span), out var header))
                {
                    format = header;
                    continue;
                }
            }
            var context = new LogEventContext(logGroup, null, null, null, receivedAt, null, scope, lineNumber);
            var lineError = FlowLogParser.TryParse(line, format ?? FlowLogFormat.Default, context, out var parsed);
            if (lineError is null)
            {
                batch.Add(parsed!, "line", lineNumber);
            }
            else
            {
                batch.Reject("line", lineNumber, lineError);
            }
        }
        return null;
    }
}
