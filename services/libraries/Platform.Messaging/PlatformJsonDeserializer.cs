using System.Net.Mime;
using System.Runtime.Serialization;
using System.Text.Json;
using MassTransit.Context;
using MassTransit.Serialization;
using Platform.Contracts.Ingestion;

namespace Platform.Messaging;

/// <summary>
/// The bus's deserializer: MassTransit's System.Text.Json envelope as it is, except that an ingested batch
/// (<see cref="LogEventsIngested"/>) is read from the envelope's parse by <see cref="LogEventsIngestedJson"/> instead of
/// being deserialised from it again. Every service that consumes batches reads each of them whole, so this is paid
/// for every event by each of them: 18.3 µs an event before, 8.0 after, documents' first use included
/// (<c>LogBatchMessageBenchmark</c>). Messages are written by MassTransit's serializer unchanged.
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
        MessageEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<MessageEnvelope>(body.GetBytes(), SystemTextJsonMessageSerializer.Options);
        }
        catch (Exception ex)
        {
            throw new SerializationException("An error occurred while deserializing the message envelope", ex);
        }
        if (envelope is null)
        {
            throw new SerializationException("Message envelope not found");
        }
        var serializer = SystemTextJsonMessageSerializer.Instance;
        return new Context(serializer, ContentType, new EnvelopeMessageContext(envelope, serializer), envelope.MessageType ?? [], envelope);
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
