using System.Net.Mime;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MassTransit.Context;
using MassTransit.Serialization;
using Platform.Contracts.Ingestion;

namespace Platform.Messaging;

/// <summary>
/// The bus's deserializer: MassTransit's System.Text.Json envelope, read in one parse of the body (see
/// <see cref="ReadEnvelope"/>), and an ingested batch (<see cref="LogEventsIngested"/>) read from that parse by
/// <see cref="LogEventsIngestedJson"/> instead of being deserialised from it again. Every service that consumes batches
/// reads each of them whole, so this is paid for every event by each of them: MassTransit's own reading 23.1 µs an
/// event, this 5.9, documents' first use included (<c>LogBatchMessageBenchmark</c>, session 16). Messages are written
/// by MassTransit's serializer unchanged.
/// </summary>
public sealed class PlatformJsonDeserializer : IMessageDeserializer, ISerializerFactory
{
    public ContentType ContentType => SystemTextJsonMessageSerializer.JsonContentType;

    public IMessageSerializer CreateSerializer() => SystemTextJsonMessageSerializer.Instance;

    public IMessageDeserializer CreateDeserializer() => this;

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateScope("json");
        scope.Add("contentType", ContentType.MediaType);
        scope.Add("provider", "System.Text.Json, ingested batches read from the envelope's parse");
    }

    public ConsumeContext Deserialize(ReceiveContext receiveContext) =>
        new BodyConsumeContext(receiveContext, Deserialize(receiveContext.Body, receiveContext.TransportHeaders, receiveContext.InputAddress));

    public SerializerContext Deserialize(MessageBody body, Headers headers, Uri? destinationAddress = null)
    {
        MessageEnvelope envelope;
        try
        {
            envelope = ReadEnvelope(body.GetBytes());
        }
        catch (Exception ex)
        {
            throw new SerializationException("An error occurred while deserializing the message envelope", ex);
        }
        var serializer = SystemTextJsonMessageSerializer.Instance;
        return new Context(serializer, ContentType, new EnvelopeMessageContext(envelope, serializer), envelope.MessageType ?? [], envelope);
    }

    /// <summary>
    /// The envelope from one parse of the body, over the body's own bytes: its message is an element of that parse, where
    /// deserialising the envelope would copy the message, bytes and index, into a document of its own — for a batch,
    /// about a megabyte twice over, on the large object heap, for every batch each service reads. The envelope's other
    /// properties are read with MassTransit's own contract for it. The elements stay valid after the consume, for as long
    /// as anything keeps them: <see cref="MessageBody.GetBytes"/> gives bytes the message owns (MassTransit 8.5 copies a
    /// RabbitMQ body out of the client's pooled buffer, which is reused; a test holds it to that).
    /// </summary>
    private static JsonMessageEnvelope ReadEnvelope(byte[] body)
    {
        var root = JsonDocument.Parse(body.AsMemory(), EnvelopeContract.DocumentOptions).RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"The envelope is a JSON {root.ValueKind}, not an object.");
        }
        var envelope = new JsonMessageEnvelope();
        foreach (var property in root.EnumerateObject())
        {
            if (EnvelopeContract.Properties.TryGetValue(property.Name, out var info))
            {
                info.Set!(envelope, info == EnvelopeContract.Message && property.Value.ValueKind != JsonValueKind.Null
                    ? property.Value
                    : property.Value.Deserialize(info.PropertyType, SystemTextJsonMessageSerializer.Options));
            }
        }
        return envelope;
    }

    /// <summary>MassTransit's contract for its JSON envelope, under its serializer's options.</summary>
    private static class EnvelopeContract
    {
        private static readonly JsonSerializerOptions Options = SystemTextJsonMessageSerializer.Options;

        /// <summary>
        /// The serializer's depth (64 unless set) below the message: a batch holds a document under the envelope, its
        /// message, the events and the event, and ingestion accepts a document as deep as 64 levels of its own. Read at
        /// the serializer's depth, a deep document made its whole batch unreadable in every consumer (the other events
        /// never evaluated).
        /// </summary>
        public static readonly JsonDocumentOptions DocumentOptions = new()
        {
            MaxDepth = (Options.MaxDepth == 0 ? 64 : Options.MaxDepth) + 8,
            AllowTrailingCommas = Options.AllowTrailingCommas,
            CommentHandling = Options.ReadCommentHandling,
        };

        public static readonly Dictionary<string, JsonPropertyInfo> Properties = Options.GetTypeInfo(typeof(JsonMessageEnvelope)).Properties
            .Where(p => p.Set is not null)
            .ToDictionary(p => p.Name, Options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

        public static readonly JsonPropertyInfo Message = Properties.Values.Single(p => p.AttributeProvider is System.Reflection.PropertyInfo { Name: nameof(JsonMessageEnvelope.Message) });
    }

    public MessageBody GetMessageBody(string text) => new StringMessageBody(text);

    private sealed class Context(IObjectDeserializer deserializer, ContentType contentType, MessageContext messageContext, string[] messageTypes, MessageEnvelope envelope)
        : SystemTextJsonSerializerContext(deserializer, SystemTextJsonMessageSerializer.Options, contentType, messageContext, messageTypes, envelope)
    {
        // Read once per message type by the consume context, which keeps what it read (BodyConsumeContext).
        public override bool TryGetMessage<T>(out T? message) where T : class
        {
            if (typeof(T) == typeof(LogEventsIngested) && Message is JsonElement element && IsSupportedMessageType<T>())
            {
                message = (T)(object)LogEventsIngestedJson.Read(element);
                return true;
            }
            return base.TryGetMessage(out message);
        }
    }
}
