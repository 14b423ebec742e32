namespace Platform.Ingestion.Parsing;

/// <summary>
/// An Amazon Data Firehose HTTP endpoint delivery request: <c>{"requestId", "timestamp", "records": [{"data": base64}]}</c>.
/// Each record is a CloudWatch Logs subscription payload (compressed, or JSON with a <c>messageType</c>) or raw
/// log lines.
/// </summary>
public static class FirehoseRequestParser
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <remarks>
    /// The request id (<paramref name="requestId"/>) is the same across Firehose's retries of a request, so it scopes
    /// the ids of raw lines: a retried request is recognised.
    /// </remarks>
    /// <returns>Null when the request was read, otherwise why it was refused.</returns>
    public static string? Parse(
        ReadOnlyMemory<byte> body, string origin, string? logGroup, FlowLogFormat? format, DateTimeOffset receivedAt, int maxDecodedBytes,
        ParsedBatch batch, out string? requestId)
    {
        requestId = null;
        batch.BeginPayload(body, origin);
        var error = PayloadDecoder.TryDecode(body, maxDecodedBytes, out var decoded);
        if (error is not null)
        {
            return batch.Reject(error);
        }
        var records = new List<byte[]>();
        using (decoded)
        {
            try
            {
                var reader = new Utf8JsonReader(decoded.Span, ReaderOptions);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return batch.Reject("the request is not a JSON object");
                }
                var sawRecords = false;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("requestId"u8))
                    {
                        reader.Read();
                        requestId = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                        reader.Skip();
                    }
                    else if (reader.ValueTextEquals("records"u8))
                    {
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.StartArray)
                        {
                            return batch.Reject("records is not an array");
                        }
                        sawRecords = true;
                        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                        {
                            records.Add(ReadRecord(ref reader, records.Count));
                        }
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
                if (string.IsNullOrEmpty(requestId))
                {
                    return batch.Reject("the request has no requestId");
                }
                if (!sawRecords)
                {
                    return batch.Reject("the request has no records");
                }
            }
            catch (JsonException ex)
            {
                return batch.Reject($"not valid JSON ({ex.Message})");
            }
            catch (FormatException ex)
            {
                return batch.Reject(ex.Message);
            }
        }

        for (var i = 0; i < records.Count; i++)
        {
            var data = records[i];
            var recordOrigin = $"{origin}/{requestId}/{i}";
            if (IsSubscriptionPayload(data))
            {
                SubscriptionPayloadParser.Parse(data, recordOrigin, logGroup, format, receivedAt, maxDecodedBytes, batch);
            }
            else
            {
                ParseLines(data, recordOrigin, logGroup, format, receivedAt, batch, $"{requestId}/{i}");
            }
        }
        return null;
    }

    private static byte[] ReadRecord(ref Utf8JsonReader reader, int index)
    {
        byte[]? data = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isData = reader.ValueTextEquals("data"u8);
            reader.Read();
            if (isData && reader.TokenType == JsonTokenType.String)
            {
                data = reader.TryGetBytesFromBase64(out var bytes)
                    ? bytes
                    : throw new FormatException($"records[{index}].data is not base64");
            }
            else
            {
                reader.Skip();
            }
        }
        return data ?? throw new FormatException($"records[{index}] has no data");
    }

    /// <summary>Compressed, or a JSON object that declares a subscription <c>messageType</c>.</summary>
    private static bool IsSubscriptionPayload(ReadOnlySpan<byte> data)
    {
        if (PayloadDecoder.Detect(data) != PayloadCompression.None)
        {
            return true;
        }
        var start = data.IndexOfAnyExcept(" \t\r\n"u8);
        return start >= 0 && data[start] == (byte)'{' && data.IndexOf("\"messageType\""u8) >= 0;
    }

    private static void ParseLines(
        byte[] data, string origin, string? logGroup, FlowLogFormat? format, DateTimeOffset receivedAt, ParsedBatch batch, string scope)
    {
        batch.BeginPayload(data, origin);
        if (!Utf8.IsValid(data))
        {
            batch.Reject("the record is not valid UTF-8");
            return;
        }
        ReadOnlyMemory<byte> remaining = data;
        var position = 0;
        while (!remaining.IsEmpty)
        {
            var end = remaining.Span.IndexOf((byte)'\n');
            var line = end < 0 ? remaining : remaining[..end];
            remaining = end < 0 ? ReadOnlyMemory<byte>.Empty : remaining[(end + 1)..];
            if (!line.IsEmpty && line.Span[^1] == (byte)'\r')
            {
                line = line[..^1];
            }
            if (line.Span.IndexOfAnyExcept(" \t"u8) >= 0)
            {
                var context = new LogEventContext(logGroup, null, null, null, receivedAt, format, $"firehose:{scope}", position);
                batch.Add(LogEventNormalizer.Normalize(line, context), "line", position + 1);
            }
            position++;
        }
    }
}
