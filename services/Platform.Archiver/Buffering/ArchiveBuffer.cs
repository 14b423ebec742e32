using NpgsqlTypes;

namespace Platform.Archiver.Buffering;

/// <summary>
/// The archiver's own record of the batches it has been given: each batch once, keyed by its id, its events held as a
/// chunk per partition group (source type, account, region, hour) and log group, with the KMS key of the log group at
/// the time, until their file is written. Holding them here (not in memory) is what makes the archive exactly once in
/// effect: a batch is buffered once however often it is delivered (ingestion publishes an event in one batch only,
/// under an id derived from its event ids), and a file is written from what is buffered.
/// </summary>
public sealed class ArchiveBuffer(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Claim = "INSERT INTO archive_batches (batch_id, buffered_at, events) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";

    /// <summary>A chunk as it is: its columns built here, in the batch's order, so the database only stores them.</summary>
    private const string InsertChunk = """
        INSERT INTO archive_chunks (source_type, account, region, hour, kms_key_id, log_group, buffered_at, ingested_at, events, record_bytes,
            event_ids, event_times, log_streams, event_sources, event_names, principals, source_ips, error_codes, records)
        VALUES ($1, $2, $3, $4, coalesce((SELECT kms_key_id FROM log_group_keys WHERE name = $5), ''), $5, $6, $7, $8, $9,
            $10, $11, $12, $13, $14, $15, $16, $17, $18)
        """;

    private sealed record ChunkKey(string SourceType, string Account, string Region, DateTimeOffset Hour, string? LogGroup);

    /// <summary>Buffers the batch unless it was buffered before; the number of events newly buffered (all or none).</summary>
    public async Task<int> AddAsync(LogEventsIngested batch, CancellationToken cancellationToken)
    {
        var chunks = ChunksOf(batch.Events);
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var claim = new NpgsqlCommand(Claim, connection, transaction))
        {
            claim.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = batch.BatchId });
            claim.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            claim.Parameters.Add(new NpgsqlParameter<int> { TypedValue = batch.Events.Count });
            if (await claim.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return 0;
            }
        }

        if (chunks.Count > 0)
        {
            await using var insert = new NpgsqlBatch(connection, transaction);
            foreach (var (key, events) in chunks)
            {
                insert.BatchCommands.Add(ChunkCommand(key, events, now, batch.IngestedAt.ToUniversalTime()));
            }
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return batch.Events.Count;
    }

    /// <summary>The batch's events by chunk, chunks in the order of their first event, events in the batch's order.</summary>
    private static List<(ChunkKey Key, List<NormalizedLogEvent> Events)> ChunksOf(IReadOnlyList<NormalizedLogEvent> events)
    {
        var chunks = new List<(ChunkKey, List<NormalizedLogEvent>)>();
        var index = new Dictionary<ChunkKey, List<NormalizedLogEvent>>();
        foreach (var e in events)
        {
            var time = e.EventTime.ToUniversalTime();
            var key = new ChunkKey(e.SourceType, ArchiveLayout.PartitionValue(e.Account), ArchiveLayout.PartitionValue(e.Region),
                new DateTimeOffset(time.Year, time.Month, time.Day, time.Hour, 0, 0, TimeSpan.Zero), e.LogGroup);
            if (!index.TryGetValue(key, out var chunk))
            {
                index[key] = chunk = [];
                chunks.Add((key, chunk));
            }
            chunk.Add(e);
        }
        return chunks;
    }

    private static NpgsqlBatchCommand ChunkCommand(ChunkKey key, List<NormalizedLogEvent> events, DateTimeOffset now, DateTimeOffset ingestedAt)
    {
        var command = new NpgsqlBatchCommand(InsertChunk);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.SourceType });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Account });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Region });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = key.Hour });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)key.LogGroup ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = ingestedAt });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = events.Count });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = events.Sum(e => (long)e.Document.Utf8Length) });
        command.Parameters.Add(Array(events, e => e.EventId));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>
        {
            TypedValue = [.. events.Select(e => e.EventTime.ToUniversalTime())],
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
        });
        command.Parameters.Add(Array(events, e => e.LogStream));
        command.Parameters.Add(Array(events, e => e.EventSource));
        command.Parameters.Add(Array(events, e => e.EventName));
        command.Parameters.Add(Array(events, e => e.Principal));
        command.Parameters.Add(Array(events, e => e.SourceIp));
        command.Parameters.Add(Array(events, e => e.ErrorCode));
        // The records as the UTF-8 they arrived in: as text they were decoded to UTF-16 here and encoded back by Npgsql.
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>[]>
        {
            TypedValue = [.. events.Select(e => e.Document.Utf8())],
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea,
        });
        return command;
    }

    private static NpgsqlParameter<string?[]> Array(List<NormalizedLogEvent> events, Func<NormalizedLogEvent, string?> value) =>
        new() { TypedValue = [.. events.Select(value)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
