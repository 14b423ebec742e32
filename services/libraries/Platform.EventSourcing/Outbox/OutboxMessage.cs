namespace Platform.EventSourcing.Outbox;

/// <summary>An appended event on its way to the bus. Its event id is the message id consumers dedupe on.</summary>
public sealed record OutboxMessage(long GlobalPosition, Guid EventId, string StreamId, long StreamVersion, object Message, Type MessageType);

/// <summary>Hands a message to the broker and returns once the broker has confirmed it.</summary>
public interface IOutboxPublisher
{
    Task PublishAsync(OutboxMessage message, CancellationToken cancellationToken);
}
