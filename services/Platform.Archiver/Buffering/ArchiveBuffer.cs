using NpgsqlTypes;

namespace Platform.Archiver.Buffering;

/// <summary>
/// The archiver's own record of the events it has been given: each event once, keyed by its id, with the KMS key of
/// its log group at the time. Holding them here (not in memory) is what makes the archive exactly once in effect:
/// an event is buffered once however often its batch is delivered, and a file is written from what is buffered.
/// </summary>
public sealed class ArchiveBuffer(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Insert = """
        INSERT INTO archive_buffer (source_type, event_id, account, region, hour, kms_key_id, event_time, ingested_at, buffered_at,
            log_group, log_stream, event_source, event_name, principal, source_ip, error_code, record, record_bytes)
        SELECT e.source_type, e.event_id, e.account, e.region, date_trunc('hour', e.event_time, 'UTC'), coalesce(k.kms_key_id, ''),
            e.event_time, $2, $3, e.log_group, e.log_stream, e.event_source, e.event_name, e.principal, e.source_ip, e.error_code,
            convert_from(e.record, 'UTF8'), octet_length(e.record)
        FROM unnest($1::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::text[], $10::text[],
                    $11::text[], $12::text[], $13::text[], $14::text[], $15::bytea[])
             WITH ORDINALITY AS e(source_type, event_id, account, region, event_time, log_group, log_stream, event_source,
                                  event_name, principal, source_ip, error_code, record, n)
        LEFT JOIN log_group_keys k ON k.name = e.log_group
        ORDER BY e.n
        ON CONFLICT (source_type, event_id) DO NOTHING
        """;

    /// <summary>Buffers the batch's events that are not buffered yet; the number newly buffered.</summary>
    public async Task<int> AddAsync(LogEventsIngested batch, CancellationToken cancellationToken)
    {
        var events = batch.Events;
        await using var command = dataSource.CreateCommand(Insert);
        command.Parameters.Add(Array(events, e => e.SourceType));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = batch.IngestedAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
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
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter<string?[]> Array(IReadOnlyList<NormalizedLogEvent> events, Func<NormalizedLogEvent, string?> value) =>
        new() { TypedValue = events.Select(value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
