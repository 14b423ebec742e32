namespace Platform.Ingestion.Kinesis;

/// <summary>
/// Reads one leased shard: GetRecords at most every <see cref="KinesisOptions.MinReadInterval"/>, each batch handed
/// to the ingestor and then checkpointed (so a record is checkpointed only once stored and published). Bad records
/// are the ingestor's to quarantine; an ingestor failure retries the same records and checkpoints nothing.
/// </summary>
public sealed partial class ShardConsumer(
    KinesisSource source,
    HeldShardLease lease,
    string instanceId,
    KinesisClient client,
    KinesisConsumerServices services,
    ILogger<ShardConsumer> logger)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(30);

    private string? _lastSequenceNumber = lease.Checkpoint;
    private long _recordsSinceProgress;
    private long _millisBehindLatest;
    private long _lastProgressAt;
    private long? _lastReadAt;
    private int _readLimit = services.Options.MaxRecordsPerRead;

    /// <summary>Runs until the shard ends or the lease is lost; cancellation stops it without checkpointing.</summary>
    public async Task<ShardConsumerOutcome> RunAsync(CancellationToken cancellationToken)
    {
        LogStarting(source.Name, lease.ShardId, _lastSequenceNumber ?? StartingPosition().IteratorType);
        _lastProgressAt = services.Time.GetTimestamp();
        string? iterator = null;
        var failures = 0;
        // The next read, started while the current batch is stored and published (one at most: memory stays bounded).
        Task<GetRecordsResponse>? next = null;
        using var prefetching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!lease.IsHeldAt(services.Time.GetUtcNow()))
                {
                    return Lost();
                }
                GetRecordsResponse response;
                try
                {
                    if (next is null)
                    {
                        iterator ??= await client.GetShardIteratorAsync(source.StreamName, lease.ShardId, ResumePosition(), cancellationToken);
                        next = ReadAsync(iterator, cancellationToken);
                    }
                    try
                    {
                        response = await next;
                    }
                    finally
                    {
                        next = null;
                    }
                    failures = 0;
                }
                catch (KinesisException e) when (e.ErrorType == KinesisErrors.ThroughputExceeded)
                {
                    services.Metrics.Throttled(source.Name, lease.ShardId);
                    var delay = Backoff.Delay(failures++, services.Options.InitialBackoff, services.Options.MaxBackoff);
                    LogThrottled(source.Name, lease.ShardId, delay.TotalMilliseconds);
                    await Task.Delay(delay, services.Time, cancellationToken);
                    continue;
                }
                catch (KinesisException e) when (e.ErrorType == KinesisErrors.ExpiredIterator)
                {
                    // Iterators last five minutes (a long ingest retry outlives one): resume after the checkpoint.
                    LogIteratorExpired(source.Name, lease.ShardId, _lastSequenceNumber);
                    iterator = null;
                    continue;
                }
                catch (Exception ex) when (ex is HttpRequestException or KinesisException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
                {
                    var delay = Backoff.Delay(failures++, services.Options.InitialBackoff, services.Options.MaxBackoff);
                    LogReadFailed(ex, source.Name, lease.ShardId, delay.TotalMilliseconds);
                    iterator = null;
                    await Task.Delay(delay, services.Time, cancellationToken);
                    continue;
                }

                _millisBehindLatest = response.MillisBehindLatest ?? 0;
                services.Metrics.Behind(source.Name, lease.ShardId, _millisBehindLatest);
                if (response.Records.Count > 0)
                {
                    _readLimit = NextReadLimit(response.Records);
                    if (response.NextShardIterator is { } following)
                    {
                        // Only records checkpointed before it is awaited follow: a failure or a lost lease discards it.
                        next = ReadAsync(following, prefetching.Token);
                    }
                }
                foreach (var chunk in response.Records.Chunk(Math.Max(1, services.Options.MaxRecordsPerIngest)))
                {
                    if (!await IngestAsync(chunk, cancellationToken) || !await CheckpointAsync(chunk[^1].SequenceNumber, cancellationToken))
                    {
                        return Lost();
                    }
                }
                ReportProgress(response.Records.Count);

                if (response.NextShardIterator is null)
                {
                    return await FinishAsync(cancellationToken) ? ShardConsumerOutcome.ShardEnded : Lost();
                }
                iterator = response.NextShardIterator;
                if (response.Records.Count == 0)
                {
                    await Task.Delay(services.Options.IdleReadInterval, services.Time, cancellationToken);
                }
            }
        }
        finally
        {
            await prefetching.CancelAsync();
            if (next is not null)
            {
                try
                {
                    await next;
                }
                catch (Exception ex) when (ex is HttpRequestException or KinesisException or OperationCanceledException or System.Text.Json.JsonException)
                {
                    // A read ahead of a consumer that stopped: its records are read again by whoever holds the shard next.
                }
            }
            services.Metrics.ShardStopped(source.Name, lease.ShardId);
        }
    }

    /// <summary>One GetRecords, at least <see cref="KinesisOptions.MinReadInterval"/> after the previous answer.</summary>
    private async Task<GetRecordsResponse> ReadAsync(string iterator, CancellationToken cancellationToken)
    {
        if (_lastReadAt is { } last && services.Time.GetElapsedTime(last) is var elapsed && elapsed < services.Options.MinReadInterval)
        {
            await Task.Delay(services.Options.MinReadInterval - elapsed, services.Time, cancellationToken);
        }
        try
        {
            return await client.GetRecordsAsync(iterator, _readLimit, cancellationToken);
        }
        finally
        {
            // Counted from the answer, not the request: the calls Kinesis sees stay at least this far apart.
            _lastReadAt = services.Time.GetTimestamp();
        }
    }

    /// <summary>The next read's Limit: as many records of this read's average size as make <see cref="KinesisOptions.MaxBytesPerRead"/>.</summary>
    private int NextReadLimit(IReadOnlyList<KinesisRecord> records)
    {
        long bytes = 0;
        foreach (var record in records)
        {
            bytes += record.Data.Length;
        }
        var average = Math.Max(1, bytes / records.Count);
        return (int)Math.Clamp(services.Options.MaxBytesPerRead / average, 1, Math.Max(1, services.Options.MaxRecordsPerRead));
    }

    /// <summary>The start for a shard without a checkpoint: a child shard from its beginning, others as the source says.</summary>
    private ShardPosition StartingPosition() => lease.HasParents ? ShardPosition.TrimHorizon : source.StartingPosition;

    private ShardPosition ResumePosition() =>
        _lastSequenceNumber is { } sequenceNumber ? ShardPosition.AfterSequenceNumber(sequenceNumber) : StartingPosition();

    /// <summary>Hands the records over until they are stored and published; false when the lease goes meanwhile.</summary>
    private async Task<bool> IngestAsync(KinesisRecord[] records, CancellationToken cancellationToken)
    {
        var payloads = new RawPayload[records.Length];
        long bytes = 0;
        for (var i = 0; i < records.Length; i++)
        {
            payloads[i] = new RawPayload(records[i].Data, $"kinesis:{source.StreamName}/{lease.ShardId}/{records[i].SequenceNumber}");
            bytes += records[i].Data.Length;
        }

        for (var attempt = 0; ; attempt++)
        {
            if (!lease.IsHeldAt(services.Time.GetUtcNow()))
            {
                return false;
            }
            try
            {
                await services.Ingestor.IngestAsync(source.Ingestion, PayloadKind.SubscriptionPayload, payloads, cancellationToken);
                services.Metrics.Ingested(source.Name, lease.ShardId, records.Length, bytes);
                return true;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                var delay = Backoff.Delay(attempt, services.Options.InitialBackoff, services.Options.MaxBackoff);
                LogIngestFailed(ex, source.Name, lease.ShardId, records.Length, delay.TotalMilliseconds);
                await Task.Delay(delay, services.Time, cancellationToken);
            }
        }
    }

    private Task<bool> CheckpointAsync(string sequenceNumber, CancellationToken cancellationToken) =>
        ChangeLeaseAsync(async () =>
        {
            var done = await services.Store.TryCheckpointAsync(source.Name, lease.ShardId, lease.Counter, instanceId, sequenceNumber, services.Time.GetUtcNow(), cancellationToken);
            if (done)
            {
                lease.Checkpoint = _lastSequenceNumber = sequenceNumber;
            }
            return done;
        }, cancellationToken);

    private Task<bool> FinishAsync(CancellationToken cancellationToken) =>
        ChangeLeaseAsync(async () =>
        {
            var done = await services.Store.TryFinishAsync(source.Name, lease.ShardId, lease.Counter, instanceId, services.Time.GetUtcNow(), cancellationToken);
            if (done)
            {
                lease.Checkpoint = ShardLeaseRow.ShardEnd;
                LogShardEnded(source.Name, lease.ShardId);
            }
            return done;
        }, cancellationToken);

    /// <summary>Changes the lease row under its gate, retrying while the database is unreachable and the lease held.</summary>
    private async Task<bool> ChangeLeaseAsync(Func<Task<bool>> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (!lease.IsHeldAt(services.Time.GetUtcNow()))
            {
                return false;
            }
            await lease.Gate.WaitAsync(cancellationToken);
            try
            {
                return await change();
            }
            catch (Npgsql.NpgsqlException ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogCheckpointFailed(ex, source.Name, lease.ShardId);
            }
            finally
            {
                lease.Gate.Release();
            }
            await Task.Delay(Backoff.Delay(attempt, services.Options.InitialBackoff, services.Options.MaxBackoff), services.Time, cancellationToken);
        }
    }

    private void ReportProgress(int records)
    {
        _recordsSinceProgress += records;
        if (services.Time.GetElapsedTime(_lastProgressAt) >= ProgressInterval)
        {
            LogProgress(source.Name, lease.ShardId, _recordsSinceProgress, _lastSequenceNumber, _millisBehindLatest);
            _recordsSinceProgress = 0;
            _lastProgressAt = services.Time.GetTimestamp();
        }
    }

    private ShardConsumerOutcome Lost()
    {
        LogLeaseLost(source.Name, lease.ShardId);
        return ShardConsumerOutcome.LeaseLost;
    }

    [LoggerMessage(LogLevel.Information, "Reading {Source} shard {ShardId} from {Position}")]
    private partial void LogStarting(string source, string shardId, string position);

    [LoggerMessage(LogLevel.Information, "{Source} shard {ShardId}: {Records} records in the last interval, checkpoint {Checkpoint}, {MillisBehindLatest} ms behind")]
    private partial void LogProgress(string source, string shardId, long records, string? checkpoint, long millisBehindLatest);

    [LoggerMessage(LogLevel.Warning, "{Source} shard {ShardId} read throughput exceeded; backing off {DelayMs:F0} ms")]
    private partial void LogThrottled(string source, string shardId, double delayMs);

    [LoggerMessage(LogLevel.Information, "{Source} shard {ShardId} iterator expired; resuming after {Checkpoint}")]
    private partial void LogIteratorExpired(string source, string shardId, string? checkpoint);

    [LoggerMessage(LogLevel.Warning, "Reading {Source} shard {ShardId} failed; retrying in {DelayMs:F0} ms")]
    private partial void LogReadFailed(Exception exception, string source, string shardId, double delayMs);

    [LoggerMessage(LogLevel.Warning, "Ingesting {Records} records of {Source} shard {ShardId} failed; retrying the same records in {DelayMs:F0} ms")]
    private partial void LogIngestFailed(Exception exception, string source, string shardId, int records, double delayMs);

    [LoggerMessage(LogLevel.Warning, "Checkpointing {Source} shard {ShardId} failed; retrying")]
    private partial void LogCheckpointFailed(Exception exception, string source, string shardId);

    [LoggerMessage(LogLevel.Information, "{Source} shard {ShardId} read to its end (SHARD_END)")]
    private partial void LogShardEnded(string source, string shardId);

    [LoggerMessage(LogLevel.Information, "{Source} shard {ShardId}: lease lost, stopping")]
    private partial void LogLeaseLost(string source, string shardId);
}
