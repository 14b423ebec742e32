using NpgsqlTypes;

namespace Platform.Archiver.Buffering;

/// <summary>
/// The archiver's own record of the batches it has been given: each batch once, keyed by its id, its events held as a
/// chunk per partition group (source type, account, region, hour and the KMS key of its log group at the time) until
/// their file is written. Holding them here (not in memory) is what makes the archive exactly once in effect: a batch
/// is buffered once however often it is delivered (ingestion publishes an event in one batch only, under an id derived
/// from its event ids), and a file is written from what is buffered.
/// </summary>
public sealed class ArchiveBuffer(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>
    /// One statement: the batch's id claimed, and only if it was not claimed before, its events grouped into chunks, each
    /// chunk's columns in the batch's order.
    /// </summary>
    private const string Insert = """
        WITH batch AS (
            INSERT INTO archive_batches (batch_id, buffered_at, events) VALUES ($1, $3, $4) ON CONFLICT DO NOTHING RETURNING batch_id)
        INSERT INTO archive_chunks (source_type, account, region, hour, kms_key_id, buffered_at, ingested_at, events, record_bytes,
            event_ids, event_times, log_groups, log_streams, event_sources, event_names, principals, source_ips, error_codes, records)
        SELECT e.source_type, e.account, e.region, date_trunc('hour', e.event_time, 'UTC'), coalesce(k.kms_key_id, ''), $3, $2,
            count(*), sum(octet_length(e.record)),
            array_agg(e.event_id ORDER BY e.n), array_agg(e.event_time ORDER BY e.n), array_agg(e.log_group ORDER BY e.n),
            array_agg(e.log_stream ORDER BY e.n), array_agg(e.event_source ORDER BY e.n), array_agg(e.event_name ORDER BY e.n),
            array_agg(e.principal ORDER BY e.n), array_agg(e.source_ip ORDER BY e.n), array_agg(e.error_code ORDER BY e.n),
            array_agg(convert_from(e.record, 'UTF8') ORDER BY e.n)
        FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::text[], $11::text[], $12::text[],
                    $13::text[], $14::text[], $15::text[], $16::text[], $17::bytea[])
             WITH ORDINALITY AS e(source_type, event_id, account, region, event_time, log_group, log_stream, event_source,
                                  event_name, principal, source_ip, error_code, record, n)
        LEFT JOIN log_group_keys k ON k.name = e.log_group
        WHERE EXISTS (SELECT FROM batch)
        GROUP BY 1, 2, 3, 4, 5
        ORDER BY min(e.n)
        RETURNING events
        """;

    /// <summary>Buffers the batch unless it was buffered before; the number of events newly buffered (all or none).</summary>
    public async Task<int> AddAsync(LogEventsIngested batch, CancellationToken cancellationToken)
    {
        var events = batch.Events;
        await using var command = dataSource.CreateCommand(Insert);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = batch.BatchId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = batch.IngestedAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = events.Count });
        command.Parameters.Add(Array(events, e => e.SourceType));
        command.Parameters.Add(Array(events, e => e.EventId));
        command.Parameters.Add(Array(events, e => ArchiveLayout.PartitionValue(e.Account)));
        command.Parameters.Add(Array(events, e => ArchiveLayout.PartitionValue(e.Region)));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>
        {
            TypedValue = events.Select(e => e.EventTime.ToUniversalTime()).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
        });
        command.Parameters.Add(Array(events, e => e.LogGroup));
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
        var added = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            added += reader.GetInt32(0);
        }
        return added;
    }

    private static NpgsqlParameter<string?[]> Array(IReadOnlyList<NormalizedLogEvent> events, Func<NormalizedLogEvent, string?> value) =>
        new() { TypedValue = events.Select(value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
