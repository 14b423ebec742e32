namespace Platform.Ingestion.Kinesis;

/// <summary>
/// Consumes one source on this instance the way the Kinesis Client Library does: keeps a lease per shard in
/// Postgres, renews the ones it holds, takes free and expired ones up to its fair share (ceil(shards / live
/// instances)), steals one at a time from the most loaded instance when the balance is off, and runs a
/// <see cref="ShardConsumer"/> per held lease. A child shard becomes eligible only once all its parents are
/// finished (SHARD_END), so records of a key are read in order across a reshard.
/// </summary>
public sealed partial class ShardLeaseCoordinator(
    KinesisSource source,
    string instanceId,
    KinesisClient client,
    KinesisConsumerServices services)
{
    private readonly ConcurrentDictionary<string, HeldShardLease> _held = new(StringComparer.Ordinal);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ILogger _logger = services.LoggerFactory.CreateLogger<ShardLeaseCoordinator>();
    private DateTimeOffset _nextShardSync = DateTimeOffset.MinValue;

    public KinesisSource Source => source;

    public string InstanceId => instanceId;

    /// <summary>The shards whose leases this instance holds now.</summary>
    public IReadOnlyCollection<string> HeldShards => _held.Keys.ToArray();

    /// <summary>
    /// Runs until cancelled. Cancellation stops the consumers and leaves the leases as they are, as a crash would:
    /// call <see cref="ReleaseLeasesAsync"/> afterwards for a graceful hand-over.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        LogStarting(source.Name, source.StreamName, instanceId);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await TickAsync(cancellationToken);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    LogTickFailed(ex, source.Name);
                }
                await WaitAsync(services.Options.LeaseRenewInterval, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await StopConsumersAsync();
        }
    }

    /// <summary>Gives up every lease still held, so other instances take the shards at once.</summary>
    public async Task ReleaseLeasesAsync(CancellationToken cancellationToken)
    {
        foreach (var lease in _held.Values)
        {
            await services.Store.TryReleaseAsync(source.Name, lease.ShardId, lease.Counter, instanceId, services.Time.GetUtcNow(), cancellationToken);
            LogReleased(source.Name, lease.ShardId);
        }
        ForgetAll();
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = services.Time.GetUtcNow();
        await services.Store.HeartbeatAsync(source.Name, instanceId, now, cancellationToken);
        await RenewAsync(cancellationToken);
        var shardEnded = ReapStoppedConsumers();

        if (shardEnded || now >= _nextShardSync)
        {
            var shards = await client.ListShardsAsync(source.StreamName, null, cancellationToken);
            await services.Store.EnsureLeasesAsync(source.Name, shards, now, cancellationToken);
            _nextShardSync = now + services.Options.ShardSyncInterval;
        }

        var leases = await services.Store.ListAsync(source.Name, cancellationToken);
        var live = await services.Store.CountLiveInstancesAsync(source.Name, now - services.Options.LeaseDuration, cancellationToken);
        await BalanceAsync(leases, Math.Max(1, live), cancellationToken);
        services.Metrics.LeasesHeld(source.Name, _held.Count);
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        foreach (var lease in _held.Values)
        {
            if (lease.Consumer is { IsCompleted: true })
            {
                continue;
            }
            await lease.Gate.WaitAsync(cancellationToken);
            try
            {
                var now = services.Time.GetUtcNow();
                var expiresAt = now + services.Options.LeaseDuration;
                if (await services.Store.TryRenewAsync(source.Name, lease.ShardId, lease.Counter, instanceId, expiresAt, now, cancellationToken) is { } counter)
                {
                    lease.Counter = counter;
                    lease.ExpiresAt = expiresAt;
                }
                else
                {
                    LogLost(source.Name, lease.ShardId);
                    await lease.Stopping.CancelAsync();
                }
            }
            finally
            {
                lease.Gate.Release();
            }
        }
    }

    /// <summary>Forgets leases whose consumer stopped; true when one of them read its shard to the end.</summary>
    private bool ReapStoppedConsumers()
    {
        var shardEnded = false;
        foreach (var (shardId, lease) in _held)
        {
            if (lease.Consumer is { IsCompleted: true } consumer && _held.TryRemove(shardId, out _))
            {
                shardEnded |= consumer is { IsCompletedSuccessfully: true, Result: ShardConsumerOutcome.ShardEnded };
                if (consumer.IsFaulted)
                {
                    LogConsumerFailed(consumer.Exception, source.Name, shardId);
                }
                lease.Dispose();
            }
        }
        return shardEnded;
    }

    private async Task BalanceAsync(IReadOnlyList<ShardLeaseRow> leases, int liveInstances, CancellationToken cancellationToken)
    {
        var now = services.Time.GetUtcNow();
        var known = leases.ToDictionary(l => l.ShardId, StringComparer.Ordinal);
        var eligible = leases
            .Where(l => !l.IsFinished && l.ParentShardIds.All(p => !known.TryGetValue(p, out var parent) || parent.IsFinished))
            .ToArray();
        var target = (eligible.Length + liveInstances - 1) / liveInstances;
        if (_held.Count >= target)
        {
            return;
        }

        // Free, expired, or ours from an earlier life of this instance id.
        var takeable = eligible
            .Where(l => !_held.ContainsKey(l.ShardId) && (l.IsFreeAt(now) || l.Owner == instanceId))
            .OrderBy(_ => Random.Shared.Next())
            .ToArray();
        foreach (var lease in takeable)
        {
            if (_held.Count >= target)
            {
                return;
            }
            await TryTakeAsync(lease, stolen: false, cancellationToken);
        }
        if (takeable.Length > 0)
        {
            return;
        }

        // Nothing free: steal one lease from the most loaded instance if it holds more than its share.
        var mostLoaded = eligible
            .Where(l => !l.IsFreeAt(now) && l.Owner != instanceId)
            .GroupBy(l => l.Owner!, StringComparer.Ordinal)
            .MaxBy(g => g.Count());
        if (mostLoaded is not null && mostLoaded.Count() > target)
        {
            var victim = mostLoaded.ElementAt(Random.Shared.Next(mostLoaded.Count()));
            await TryTakeAsync(victim, stolen: true, cancellationToken);
        }
    }

    private async Task TryTakeAsync(ShardLeaseRow row, bool stolen, CancellationToken cancellationToken)
    {
        var now = services.Time.GetUtcNow();
        var expiresAt = now + services.Options.LeaseDuration;
        if (await services.Store.TryTakeAsync(source.Name, row.ShardId, row.LeaseCounter, instanceId, expiresAt, now, cancellationToken) is not { } taken)
        {
            return;
        }
        if (stolen)
        {
            LogStolen(source.Name, row.ShardId, row.Owner);
        }
        else
        {
            LogTaken(source.Name, row.ShardId, row.Owner);
        }

        var lease = new HeldShardLease(row.ShardId, taken.Counter, expiresAt, taken.Checkpoint, row.ParentShardIds.Count > 0);
        var consumer = new ShardConsumer(source, lease, instanceId, client, services, services.LoggerFactory.CreateLogger<ShardConsumer>());
        _held[row.ShardId] = lease;
        lease.Consumer = RunConsumerAsync(consumer, lease);
    }

    private async Task<ShardConsumerOutcome> RunConsumerAsync(ShardConsumer consumer, HeldShardLease lease)
    {
        // Off the coordinator's loop: a consumer's first await must not delay the renewals.
        await Task.Yield();
        try
        {
            return await consumer.RunAsync(lease.Stopping.Token);
        }
        catch (OperationCanceledException) when (lease.Stopping.IsCancellationRequested)
        {
            return ShardConsumerOutcome.LeaseLost;
        }
        finally
        {
            // Let the coordinator reap it now rather than at the next renewal.
            _wake.Writer.TryWrite(true);
        }
    }

    private async Task StopConsumersAsync()
    {
        foreach (var lease in _held.Values)
        {
            await lease.Stopping.CancelAsync();
        }
        foreach (var lease in _held.Values)
        {
            if (lease.Consumer is { } consumer)
            {
                await ((Task)consumer).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void ForgetAll()
    {
        foreach (var shardId in _held.Keys)
        {
            if (_held.TryRemove(shardId, out var lease))
            {
                lease.Dispose();
            }
        }
        services.Metrics.LeasesHeld(source.Name, 0);
    }

    private async Task WaitAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(interval, services.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _wake.Reader.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The renewal interval passed.
        }
    }

    [LoggerMessage(LogLevel.Information, "Consuming source {Source} (stream {Stream}) as instance {InstanceId}")]
    private partial void LogStarting(string source, string stream, string instanceId);

    [LoggerMessage(LogLevel.Warning, "Lease round for source {Source} failed; retrying")]
    private partial void LogTickFailed(Exception exception, string source);

    [LoggerMessage(LogLevel.Information, "{Source} shard {ShardId}: lease taken (previous owner {PreviousOwner})")]
    private partial void LogTaken(string source, string shardId, string? previousOwner);

    [LoggerMessage(LogLevel.Information, "{Source} shard {ShardId}: lease stolen from {PreviousOwner} to balance the load")]
    private partial void LogStolen(string source, string shardId, string? previousOwner);

    [LoggerMessage(LogLevel.Warning, "{Source} shard {ShardId}: lease lost to another instance")]
    private partial void LogLost(string source, string shardId);

    [LoggerMessage(LogLevel.Information, "{Source} shard {ShardId}: lease released")]
    private partial void LogReleased(string source, string shardId);

    [LoggerMessage(LogLevel.Error, "{Source} shard {ShardId}: consumer failed")]
    private partial void LogConsumerFailed(Exception? exception, string source, string shardId);
}
