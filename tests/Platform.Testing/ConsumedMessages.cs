using System.Collections.Concurrent;
using MassTransit;

namespace Platform.Testing;

/// <summary>
/// Counts the messages a host has finished consuming, by message id and receive endpoint (a message several consumers
/// take is consumed once on each one's endpoint): tells a test a redelivery was handled.
/// </summary>
public sealed class ConsumedMessages : IConsumeObserver
{
    private readonly ConcurrentDictionary<(Guid MessageId, string Queue), int> _counts = new();

    /// <summary>How often the message was consumed, on every endpoint together.</summary>
    public int CountOf(Guid messageId) => _counts.Where(c => c.Key.MessageId == messageId).Sum(c => c.Value);

    /// <summary>How often the message was consumed on the endpoint whose queue name ends with <paramref name="queueSuffix"/>.</summary>
    public int CountOf(Guid messageId, string queueSuffix) =>
        _counts.Where(c => c.Key.MessageId == messageId && c.Key.Queue.EndsWith(queueSuffix, StringComparison.Ordinal)).Sum(c => c.Value);

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.MessageId is { } id)
        {
            var queue = context.ReceiveContext.InputAddress.AbsolutePath.TrimEnd('/');
            _counts.AddOrUpdate((id, queue[(queue.LastIndexOf('/') + 1)..]), 1, (_, count) => count + 1);
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
