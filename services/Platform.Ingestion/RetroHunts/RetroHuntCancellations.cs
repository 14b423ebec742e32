using Platform.Contracts.Detection;

namespace Platform.Ingestion.RetroHunts;

/// <summary>
/// The hunts this instance is streaming, and the hunts cancelled lately (a cancellation may arrive before its request
/// is consumed): <see cref="RetroHuntCancelledConsumer"/> cancels through it on every instance.
/// </summary>
public sealed class RetroHuntCancellations(TimeProvider clock)
{
    /// <summary>How long a cancellation is remembered for a request not yet consumed.</summary>
    private static readonly TimeSpan Remembered = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _streaming = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _cancelled = new();

    /// <summary>A token cancelled when the hunt is; null when it was cancelled already. Dispose the source when done.</summary>
    public CancellationTokenSource? Start(Guid huntId, CancellationToken stopping)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _streaming[huntId] = source;
        if (_cancelled.ContainsKey(huntId))
        {
            Finish(huntId, source);
            return null;
        }
        return source;
    }

    public void Finish(Guid huntId, CancellationTokenSource source)
    {
        _streaming.TryRemove(new KeyValuePair<Guid, CancellationTokenSource>(huntId, source));
        source.Dispose();
    }

    public void Cancel(Guid huntId)
    {
        var now = clock.GetUtcNow();
        _cancelled[huntId] = now;
        foreach (var (id, at) in _cancelled)
        {
            if (now - at > Remembered)
            {
                _cancelled.TryRemove(id, out _);
            }
        }
        if (_streaming.TryGetValue(huntId, out var source))
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The stream ended meanwhile.
            }
        }
    }
}

/// <summary>A hunt was cancelled: every instance stops streaming it (a temporary queue per instance).</summary>
public sealed class RetroHuntCancelledConsumer(RetroHuntCancellations cancellations) : IConsumer<RetroHuntCancelled>
{
    public Task Consume(ConsumeContext<RetroHuntCancelled> context)
    {
        cancellations.Cancel(context.Message.HuntId);
        return Task.CompletedTask;
    }
}
