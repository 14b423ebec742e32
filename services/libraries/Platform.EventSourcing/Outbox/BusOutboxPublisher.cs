using MassTransit;

namespace Platform.EventSourcing.Outbox;

public sealed class BusOutboxPublisher(IBus bus) : IOutboxPublisher
{
    public const string StreamIdHeader = "Platform-Stream-Id";
    public const string StreamVersionHeader = "Platform-Stream-Version";

    public Task PublishAsync(OutboxMessage message, CancellationToken cancellationToken) =>
        bus.Publish(message.Message, message.MessageType, context =>
        {
            context.MessageId = message.EventId;
            context.Headers.Set(StreamIdHeader, message.StreamId);
            context.Headers.Set(StreamVersionHeader, message.StreamVersion);
        }, cancellationToken);
}
