namespace Platform.Ingestion.RetroHunts;

/// <summary>
/// Reads a hunt's range of the raw log store: its count, and its events in (event_time, event_id) order in one scan of
/// the <c>log_events_event_time</c> index through a cursor, a batch per FETCH, each event rebuilt as the publisher's
/// <see cref="RawLogStore.ReadAsync"/> does.
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

    /// <summary>
    /// The range's events in batches of <paramref name="batchSize"/> (the last one short), through a cursor: Postgres plans
    /// it for the first rows (the index's order, no sort of the whole range before the first batch) and each FETCH
    /// brings one batch.
    /// </summary>
    public async IAsyncEnumerable<NormalizedLogEvent[]> BatchesAsync(
        DateTimeOffset from, DateTimeOffset to, int batchSize, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using (var declare = new NpgsqlCommand(
            $"DECLARE hunt NO SCROLL CURSOR FOR SELECT {RawLogStore.Columns} FROM log_events WHERE {InRange} ORDER BY event_time, event_id",
            connection, transaction))
        {
            AddRange(declare, from, to);
            await declare.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var fetch = new NpgsqlCommand(string.Create(CultureInfo.InvariantCulture, $"FETCH {batchSize} FROM hunt"), connection, transaction);
        while (true)
        {
            var page = await RawLogStore.ReadAsync(fetch, cancellationToken);
            if (page.Count > 0)
            {
                yield return [.. page.Select(stored => stored.Event)];
            }
            if (page.Count < batchSize)
            {
                yield break;
            }
        }
    }

    private static void AddRange(NpgsqlCommand command, DateTimeOffset from, DateTimeOffset to)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = from.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = to.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
    }
}
