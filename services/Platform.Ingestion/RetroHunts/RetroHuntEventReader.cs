namespace Platform.Ingestion.RetroHunts;

/// <summary>
/// Reads a hunt's range of the raw log store: its count, and the events of a part of it that the hunt's
/// <see cref="RetroHuntFilter"/> keeps, in (event_time, event_id) order in one scan of the <c>log_events_event_time</c>
/// index through a cursor. Only what the filter needs crosses the connection for every event (its source type and its
/// document's bytes, no record text decoded); the envelope is read and the event rebuilt, as the publisher's
/// <see cref="RawLogStore.ReadAsync"/> does, only for the events kept.
/// </summary>
public sealed class RetroHuntEventReader(NpgsqlDataSource dataSource)
{
    private const string InRange = "event_time >= $1 AND event_time < $2";

    /// <summary>Rows per FETCH: enough that round trips do not count, few enough that a page of documents stays small.</summary>
    private const int PageRows = 1000;

    /// <summary>
    /// The document column: what was stored as the event's document (the record, else the document built from it). Text,
    /// read as the UTF-8 bytes that cross the connection (<see cref="NpgsqlDataReader.GetStream(int)"/>): neither Postgres
    /// (a conversion to bytea copied every document) nor the scan decodes it.
    /// </summary>
    private const string Body = "body";

    public async Task<long> CountAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM log_events WHERE {InRange}");
        AddRange(command, from, to);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// The events of [<paramref name="from"/>, <paramref name="to"/>) in chunks: the events <paramref name="filter"/> kept
    /// and how many were scanned, a chunk ending when it keeps <paramref name="batchSize"/> events or has scanned
    /// <paramref name="scanLimit"/>, the last one short (none for no events). The same stored events give the same chunks.
    /// A cursor: Postgres plans it for the first rows (the index's order, no sort of the whole range first), a FETCH a page.
    /// </summary>
    public async IAsyncEnumerable<RetroHuntChunk> ScanAsync(
        DateTimeOffset from, DateTimeOffset to, RetroHuntFilter filter, int batchSize, int scanLimit,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var declare = new NpgsqlCommand(
            $"DECLARE hunt NO SCROLL CURSOR FOR SELECT {RawLogStore.EnvelopeColumns}, coalesce(document, record) AS {Body} " +
            $"FROM log_events WHERE {InRange} ORDER BY event_time, event_id",
            connection, transaction))
        {
            AddRange(declare, from, to);
            await declare.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var fetch = new NpgsqlCommand(string.Create(CultureInfo.InvariantCulture, $"FETCH {PageRows} FROM hunt"), connection, transaction);
        var kept = new List<NormalizedLogEvent>();
        var scanned = 0;
        var buffer = new byte[16 * 1024];
        int rows;
        do
        {
            rows = 0;
            await using var reader = await fetch.ExecuteReaderAsync(cancellationToken);
            var (sourceType, body) = (reader.GetOrdinal("source_type"), reader.GetOrdinal(Body));
            while (await reader.ReadAsync(cancellationToken))
            {
                rows++;
                scanned++;
                int length;
                await using (var stored = reader.GetStream(body))
                {
                    length = (int)stored.Length;
                    if (length > buffer.Length)
                    {
                        buffer = new byte[Math.Max(length, buffer.Length * 2)];
                    }

                    stored.ReadExactly(buffer, 0, length);
                }

                if (filter.Keep(reader.GetString(sourceType), buffer.AsSpan(0, length)) is { } document)
                {
                    kept.Add(RawLogStore.EventOf(reader, document));
                }

                if (kept.Count == batchSize || scanned == scanLimit)
                {
                    yield return new RetroHuntChunk([.. kept], scanned);
                    kept.Clear();
                    scanned = 0;
                }
            }
        }
        while (rows == PageRows);

        if (scanned > 0)
        {
            yield return new RetroHuntChunk([.. kept], scanned);
        }
    }

    private static void AddRange(NpgsqlCommand command, DateTimeOffset from, DateTimeOffset to)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = from.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = to.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
    }
}

/// <summary>A stretch of a hunt's scan: the events kept, in order, and how many events it scanned (those included).</summary>
public sealed record RetroHuntChunk(NormalizedLogEvent[] Kept, int Scanned);
