namespace Platform.Ingestion.Parsing;

/// <summary>
/// A CloudTrail log file as delivered to S3 (<c>{"Records": [...]}</c>, gzip or plain), or a JSON array of
/// records (as tools such as Stratus Red Team write them).
/// </summary>
public static class CloudTrailFileParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <returns>Null when the file was read (bad records are rejected one by one), otherwise why the whole file was refused.</returns>
    public static string? Parse(
        ReadOnlyMemory<byte> data, string origin, string? logGroup, DateTimeOffset receivedAt, int maxDecodedBytes, ParsedBatch batch)
    {
        batch.BeginPayload(data, origin);
        if (PayloadDecoder.TryDecodeToArray(data, maxDecodedBytes, out var json) is { } error)
        {
            return batch.Reject(error);
        }

        JsonElement root;
        try
        {
            root = JsonDocument.Parse(json, DocumentOptions).RootElement;
        }
        catch (JsonException ex)
        {
            return batch.Reject($"not valid JSON ({ex.Message})");
        }

        JsonElement records;
        if (root.ValueKind == JsonValueKind.Array)
        {
            records = root;
        }
        else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Records"u8, out var inner) && inner.ValueKind == JsonValueKind.Array)
        {
            records = inner;
        }
        else
        {
            return batch.Reject("expected a CloudTrail log file ({\"Records\": [...]}) or a JSON array of records");
        }

        var position = 0;
        foreach (var record in records.EnumerateArray())
        {
            // The record's bytes within the file (which the events keep): its text as delivered.
            var text = JsonMarshal.GetRawUtf8Value(record);
            json.AsSpan().Overlaps(text, out var offset);
            var raw = json.AsMemory(offset, text.Length);
            var context = new LogEventContext(logGroup, null, null, null, receivedAt, null, logGroup ?? origin, position);
            if (JsonLogNormalizer.TryNormalize(raw, context) is { Event.SourceType: LogSourceTypes.CloudTrail } parsed)
            {
                batch.Add(parsed, "record", position);
            }
            else
            {
                batch.Reject("record", position, "not a CloudTrail record (it needs eventVersion, eventSource and eventName)");
            }
            position++;
        }
        return null;
    }
}
