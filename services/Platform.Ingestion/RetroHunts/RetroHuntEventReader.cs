namespace Platform.Ingestion.RetroHunts;

/// <summary>
/// Reads a hunt's range of the raw log store: its count, and its events in (event_time, event_id) order, a page at a
/// time with keyset pagination (each page starts after the last row of the one before, through the
/// <c>log_events_event_time</c> index), each event rebuilt as the publisher's <see cref="RawLogStore.ReadAsync"/> does.
/// </summary>
public sealed class RetroHuntEventReader(NpgsqlDataSource dataSource)
{
    private const string InRange = "event_time >= $1 AND event_time < $2";

    public async Task<long> CountAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM log_events WHERE {InRange}");
        AddRange(command, from, to);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The first <paramref name="limit"/> events of the range after <paramref name="after"/> (from the start when null).</summary>
    public async Task<IReadOnlyList<StoredLogEvent>> PageAsync(
        DateTimeOffset from, DateTimeOffset to, (DateTimeOffset EventTime, string EventId)? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        AddRange(command, from, to);
        var keyset = "";
        if (after is { } last)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = last.EventTime.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter { Value = last.EventId, NpgsqlDbType = NpgsqlDbType.Text });
            keyset = " AND (event_time, event_id) > ($3, $4)";
        }
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        command.CommandText =
            $"SELECT {RawLogStore.Columns} FROM log_events WHERE {InRange}{keyset} ORDER BY event_time, event_id LIMIT ${command.Parameters.Count}";
        return await RawLogStore.ReadAsync(command, cancellationToken);
    }

    private static void AddRange(NpgsqlCommand command, DateTimeOffset from, DateTimeOffset to)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = from.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = to.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
    }
}
