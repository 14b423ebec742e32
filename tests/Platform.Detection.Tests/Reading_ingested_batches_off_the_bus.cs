using System.Runtime.Serialization;
using System.Text;
using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;
using Platform.Contracts;
using Platform.Contracts.Ingestion;
using Platform.Messaging;

namespace Platform.Detection.Tests;

/// <summary>
/// The bus's deserializer reads an ingested batch from the envelope's parse (<see cref="LogEventsIngestedJson"/>):
/// what it gives is what MassTransit's own deserializer gives for the same bytes, field by field and document by
/// document, and a batch that is not one is refused naming the field.
/// </summary>
public sealed class Reading_ingested_batches_off_the_bus
{
    [Fact]
    public void A_batch_reads_back_as_MassTransit_reads_it()
    {
        var records = SubscriptionMessages.StratusRecords();
        var full = new NormalizedLogEvent("event-1", LogSourceTypes.CloudTrail, new DateTimeOffset(2024, 8, 1, 12, 0, 0, 123, TimeSpan.FromHours(2)),
            "aws-cloudtrail-logs", "123456789012_CloudTrail_us-east-1", "123456789012", "us-east-1", "iam.amazonaws.com", "CreateUser",
            "arn:aws:iam::123456789012:user/ä \"quoted\"", "192.0.2.1", "AccessDenied", Document(records[0].ToJsonString()));
        // Every field set: a field the contract gains and the reader does not read makes the two differ below.
        Assert.All(typeof(NormalizedLogEvent).GetProperties(), p => Assert.NotNull(p.GetValue(full)));
        var sparse = new NormalizedLogEvent("event-2", LogSourceTypes.Text, DateTimeOffset.UnixEpoch, null, null, null, null, null, null, null, null, null,
            Document("""{"message":"plain text \u00e9 \ud83d\ude00 \\ \"","n":[1,2.5e3,true,null]}"""));
        var batch = new LogEventsIngested(Guid.NewGuid(), "http:cloudtrail", DateTimeOffset.UtcNow,
            [full, sparse, .. records.Skip(1).Select((r, i) => full with { EventId = $"stratus-{i}", Document = Document(r.ToJsonString()) })]);
        var body = new BytesMessageBody(Envelope(writer => JsonSerializer.Serialize(writer, batch, PlatformJson.Options)));

        var expected = Read(SystemTextJsonMessageSerializer.Instance, body);
        var actual = Read(new PlatformJsonDeserializer(), body);

        Assert.Equal(JsonSerializer.Serialize(expected, PlatformJson.Options), JsonSerializer.Serialize(actual, PlatformJson.Options));
        Assert.Equal(batch.Events.Count, actual.Events.Count);
        Assert.All(actual.Events.Zip(batch.Events), pair =>
        {
            Assert.Equal(pair.Second with { Document = pair.First.Document }, pair.First);
            Assert.Equal(pair.Second.Document.GetRawText(), pair.First.Document.GetRawText());
            Assert.Equal(JsonValueKind.Object, pair.First.Document.Root.ValueKind);
        });
    }

    [Fact]
    public void The_envelope_reads_back_as_MassTransit_reads_it()
    {
        var body = new BytesMessageBody(Encoding.UTF8.GetBytes($$$"""
            {"messageId":"{{{Guid.NewGuid()}}}","requestId":"{{{Guid.NewGuid()}}}","correlationId":"{{{Guid.NewGuid()}}}",
             "conversationId":"{{{Guid.NewGuid()}}}","initiatorId":"{{{Guid.NewGuid()}}}",
             "sourceAddress":"rabbitmq://localhost/source","destinationAddress":"rabbitmq://localhost/destination",
             "responseAddress":"rabbitmq://localhost/response","faultAddress":"rabbitmq://localhost/fault",
             "messageType":["urn:message:Platform.Contracts.Detection:FindingRaised","urn:message:Other:Type"],
             "message":{"findingId":"f-1","nested":{"a":[1,2,{"b":"c"}]}},
             "expirationTime":"2030-01-02T03:04:05Z","sentTime":"2024-08-01T12:00:00.123Z",
             "headers":{"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01","MT-Redelivery-Count":2,"x-object":{"k":"v"}},
             "host":{"machineName":"m","processName":"p","processId":42,"assembly":"a","assemblyVersion":"1.0",
                     "frameworkVersion":"10.0","massTransitVersion":"8.5.12","operatingSystemVersion":"Unix"},
             "unknownProperty":{"ignored":true}}
            """));

        var expected = SystemTextJsonMessageSerializer.Instance.Deserialize(body, EmptyHeaders.Instance);
        var actual = new PlatformJsonDeserializer().Deserialize(body, EmptyHeaders.Instance);

        // Every property of the message context the envelope makes, compared as MassTransit's serializer writes it.
        var properties = typeof(MessageContext).GetProperties();
        Assert.Contains(properties, p => p.Name == nameof(MessageContext.Headers));
        Assert.All(properties, p => Assert.Equal(
            JsonSerializer.Serialize(p.GetValue(expected), SystemTextJsonMessageSerializer.Options),
            JsonSerializer.Serialize(p.GetValue(actual), SystemTextJsonMessageSerializer.Options)));
        Assert.Equal(2, actual.Headers.Get<int>("MT-Redelivery-Count"));
        Assert.Equal(expected.SupportedMessageTypes, actual.SupportedMessageTypes);
        Assert.True(actual.TryGetMessage<Probe>(out var message));
        Assert.True(expected.TryGetMessage<Probe>(out var original));
        Assert.Equal(original!.FindingId, message!.FindingId);
        Assert.Equal("c", message.Nested.GetProperty("a")[2].GetProperty("b").GetString());
    }

    /// <summary>A message type the envelope's messageType lists.</summary>
    [MessageUrn("Platform.Contracts.Detection:FindingRaised")]
    public sealed record Probe(string FindingId, JsonElement Nested);

    [Fact]
    public void A_document_as_deep_as_ingestion_accepts_does_not_make_its_batch_unreadable()
    {
        // 64 levels of its own (ingestion's limit), 68 in the message: past System.Text.Json's default of 64.
        var deep = string.Concat(Enumerable.Repeat("""{"a":""", 63)) + "[1]" + new string('}', 63);
        var batch = new LogEventsIngested(Guid.NewGuid(), "kinesis:deep", DateTimeOffset.UtcNow,
        [
            new NormalizedLogEvent("deep", LogSourceTypes.Application, DateTimeOffset.UnixEpoch, null, null, null, null, null, null, null, null, null, Document(deep)),
            new NormalizedLogEvent("beside", LogSourceTypes.Application, DateTimeOffset.UnixEpoch, null, null, null, null, null, null, null, null, null, Document("{}")),
        ]);
        var body = new BytesMessageBody(Envelope(writer => JsonSerializer.Serialize(writer, batch, PlatformJson.Options)));

        var read = Read(new PlatformJsonDeserializer(), body);

        Assert.Throws<SerializationException>(() => Read(SystemTextJsonMessageSerializer.Instance, body));
        Assert.Equal(["deep", "beside"], read.Events.Select(e => e.EventId));
        Assert.Equal(deep, read.Events[0].Document.GetRawText());
    }

    [Fact]
    public void The_bytes_parsed_are_the_messages_own_not_the_transports_buffer()
    {
        // The RabbitMQ client lends MassTransit a pooled buffer for the delivery, reused once the consume ends; the
        // envelope's parse (and every document of a batch) points into what GetBytes gives, so that must be a copy.
        var lent = Encoding.UTF8.GetBytes("""{"message":{}}""");

        var bytes = new MemoryMessageBody(lent.AsMemory()).GetBytes();
        lent.AsSpan().Clear();

        Assert.Equal("""{"message":{}}""", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void What_is_not_an_envelope_is_refused()
    {
        Assert.Throws<SerializationException>(() => new PlatformJsonDeserializer().Deserialize(new BytesMessageBody("[1,2]"u8.ToArray()), EmptyHeaders.Instance));
        Assert.Throws<SerializationException>(() => new PlatformJsonDeserializer().Deserialize(new BytesMessageBody("{\"messageId\":"u8.ToArray()), EmptyHeaders.Instance));
        Assert.Throws<SerializationException>(() => new PlatformJsonDeserializer().Deserialize(new BytesMessageBody("{\"sentTime\":\"never\"}"u8.ToArray()), EmptyHeaders.Instance));
    }

    [Theory]
    [InlineData("""{"batchId":"5f8c2b1e-0000-4000-8000-000000000001","source":"s","ingestedAt":"2024-08-01T12:00:00Z"}""", "events: is required")]
    [InlineData("""{"batchId":"not a guid","source":"s","ingestedAt":"2024-08-01T12:00:00Z","events":[]}""", "batchId: is not a GUID")]
    [InlineData("""{"batchId":"5f8c2b1e-0000-4000-8000-000000000001","source":"s","ingestedAt":"yesterday","events":[]}""", "ingestedAt: is not an ISO 8601 time")]
    [InlineData("""{"batchId":"5f8c2b1e-0000-4000-8000-000000000001","source":"s","ingestedAt":"2024-08-01T12:00:00Z","events":[{"sourceType":"text","eventTime":"2024-08-01T12:00:00Z","document":{}}]}""", "eventId: is required")]
    [InlineData("""{"batchId":"5f8c2b1e-0000-4000-8000-000000000001","source":"s","ingestedAt":"2024-08-01T12:00:00Z","events":[{"eventId":"e","sourceType":"text","eventTime":"2024-08-01T12:00:00Z","region":7,"document":{}}]}""", "region: expected string, found number")]
    [InlineData("""{"batchId":"5f8c2b1e-0000-4000-8000-000000000001","source":"s","ingestedAt":"2024-08-01T12:00:00Z","events":[{"eventId":"e","sourceType":"text","eventTime":"2024-08-01T12:00:00Z"}]}""", "document: is required")]
    [InlineData("""{"batchId":"5f8c2b1e-0000-4000-8000-000000000001","source":"s","ingestedAt":"2024-08-01T12:00:00Z","events":[[]]}""", "events[0]: expected object, found array")]
    public void What_is_not_a_batch_is_refused_naming_the_field(string message, string reason)
    {
        var body = new BytesMessageBody(Envelope(writer => writer.WriteRawValue(message)));

        var error = Assert.Throws<JsonException>(() => Read(new PlatformJsonDeserializer(), body));

        Assert.Equal(reason, error.Message);
    }

    private static LogDocument Document(string json) => LogDocument.FromValidUtf8(Encoding.UTF8.GetBytes(json));

    /// <summary>A message as the bus sends one: MassTransit's envelope around the message, documents written as they are.</summary>
    private static byte[] Envelope(Action<Utf8JsonWriter> writeMessage)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("messageId", Guid.NewGuid());
            writer.WriteStartArray("messageType");
            writer.WriteStringValue($"urn:message:{typeof(LogEventsIngested).Namespace}:{nameof(LogEventsIngested)}");
            writer.WriteEndArray();
            writer.WritePropertyName("message");
            writeMessage(writer);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static LogEventsIngested Read(IMessageDeserializer deserializer, MessageBody body) =>
        deserializer.Deserialize(body, EmptyHeaders.Instance).TryGetMessage<LogEventsIngested>(out var message)
            ? message!
            : throw new InvalidOperationException("not a LogEventsIngested");
}
