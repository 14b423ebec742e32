namespace Platform.Ingestion.Parsing;

/// <summary>
/// Subscription payloads as AWS Lambda receives them: <c>{"awslogs": {"data": base64}}</c> from a CloudWatch
/// Logs trigger, or <c>{"Records": [{"kinesis": {"data": base64}}]}</c> from a Kinesis trigger. Anything else is
/// taken to be the payload itself.
/// </summary>
public static class SubscriptionEnvelope
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <returns>The payloads inside the envelope, or the body itself when it is not one.</returns>
    public static IReadOnlyList<ReadOnlyMemory<byte>> Unwrap(ReadOnlyMemory<byte> body)
    {
        var span = body.Span;
        var start = span.IndexOfAnyExcept(" \t\r\n"u8);
        if (start < 0 || span[start] != (byte)'{')
        {
            return [body];
        }
        try
        {
            var reader = new Utf8JsonReader(span, ReaderOptions);
            reader.Read();
            var payloads = new List<ReadOnlyMemory<byte>>();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("awslogs"u8))
                {
                    reader.Read();
                    ReadDataObject(ref reader, payloads);
                }
                else if (reader.ValueTextEquals("Records"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        return [body];
                    }
                    while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                    {
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            var isKinesis = reader.ValueTextEquals("kinesis"u8);
                            reader.Read();
                            if (isKinesis)
                            {
                                ReadDataObject(ref reader, payloads);
                            }
                            else
                            {
                                reader.Skip();
                            }
                        }
                    }
                }
                else
                {
                    // A property other than the envelope's: a subscription message itself (or not one at all).
                    return [body];
                }
            }
            return payloads.Count > 0 ? payloads : [body];
        }
        catch (JsonException)
        {
            return [body];
        }
        catch (FormatException)
        {
            return [body];
        }
    }

    private static void ReadDataObject(ref Utf8JsonReader reader, List<ReadOnlyMemory<byte>> payloads)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isData = reader.ValueTextEquals("data"u8);
            reader.Read();
            if (isData && reader.TokenType == JsonTokenType.String)
            {
                payloads.Add(Base64.IsValid(reader.ValueSpan) ? reader.GetBytesFromBase64() : reader.ValueSpan.ToArray());
            }
            else
            {
                reader.Skip();
            }
        }
    }
}
