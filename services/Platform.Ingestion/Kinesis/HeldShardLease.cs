namespace Platform.Ingestion.Kinesis;

/// <summary>
/// A lease this instance holds. Its counter moves with every renewal, so every change to the lease row
/// (renew, checkpoint, finish, release) takes <see cref="Gate"/> and uses the counter current under it.
/// </summary>
public sealed class HeldShardLease(string shardId, long counter, DateTimeOffset expiresAt, string? checkpoint, bool hasParents) : IDisposable
{
    public string ShardId { get; } = shardId;

    public long Counter { get; set; } = counter;

    /// <summary>Past this the lease may be someone else's: stop reading and checkpointing.</summary>
    public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

    public string? Checkpoint { get; set; } = checkpoint;

    /// <summary>A child shard: without a checkpoint it is read from its start, after its parents.</summary>
    public bool HasParents { get; } = hasParents;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Cancelled when the lease is lost or given up.</summary>
    public CancellationTokenSource Stopping { get; } = new();

    public Task<ShardConsumerOutcome>? Consumer { get; set; }

    public bool IsHeldAt(DateTimeOffset now) => !Stopping.IsCancellationRequested && ExpiresAt > now;

    public void Dispose()
    {
        Gate.Dispose();
        Stopping.Dispose();
    }
}

public enum ShardConsumerOutcome
{
    /// <summary>The closed shard was read to its end and its lease marked SHARD_END.</summary>
    ShardEnded,

    /// <summary>Another instance has the lease (or it expired unrenewed).</summary>
    LeaseLost,
}
