namespace Platform.Quarantine;

/// <summary>
/// Keeps rejected payloads, one row each, with their bytes (up to a bound), how many records were rejected, the first
/// reasons, the source and the time. The total is capped: past <see cref="IQuarantineLimits.QuarantineMaxTotalBytes"/>
/// the oldest rows are dropped (and counted). Dropping the oldest rather than refusing the newest keeps what
/// describes a sender's current breakage: a flood of bad input cannot fill the quarantine and blind it to what comes
/// next; it can only push out older entries, which are counted and logged.
/// </summary>
/// <param name="dropped">Counts the entries dropped to stay under the cap, on the owning service's meter.</param>
public sealed partial class QuarantineStore(NpgsqlDataSource dataSource, IQuarantineLimits options, Counter<long> dropped, ILogger<QuarantineStore> logger)
{
    /// <summary>How many of the oldest rows one trimming statement looks at.</summary>
    private const int TrimChunk = 1000;

    /// <summary>
    /// The end of a statement whose <c>gone</c> deletes rows: takes their bytes off the running total in the same
    /// statement, and returns how many rows went and the total left.
    /// </summary>
    private const string ReleaseGone =
        "freed AS (SELECT count(*) AS rows, coalesce(sum(stored_bytes), 0) AS bytes FROM gone) " +
        "UPDATE quarantine_usage SET bytes = quarantine_usage.bytes - freed.bytes FROM freed RETURNING freed.rows, quarantine_usage.bytes";

    public async Task AddAsync(IReadOnlyList<RejectedPayload> rejected, string source, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        if (rejected.Count == 0)
        {
            return;
        }
        long added = 0;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using (var importer = await connection.BeginBinaryImportAsync(
                "COPY quarantine (received_at, source, origin, rejected, reasons, original_size, raw, stored_bytes) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                foreach (var payload in rejected)
                {
                    var raw = payload.Raw[..Math.Min(payload.Raw.Length, options.QuarantineMaxBytes)].ToArray();
                    var reasons = payload.Reasons.Select(WithoutNul).ToArray();
                    var storedBytes = raw.Length + reasons.Sum(Encoding.UTF8.GetByteCount);
                    added += storedBytes;
                    await importer.StartRowAsync(cancellationToken);
                    await importer.WriteAsync(receivedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
                    await importer.WriteAsync(WithoutNul(source), NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync(WithoutNul(payload.Origin), NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync(payload.Count, NpgsqlDbType.Integer, cancellationToken);
                    await importer.WriteAsync(reasons, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync(payload.Raw.Length, NpgsqlDbType.Integer, cancellationToken);
                    await importer.WriteAsync(raw, NpgsqlDbType.Bytea, cancellationToken);
                    await importer.WriteAsync(storedBytes, NpgsqlDbType.Integer, cancellationToken);
                }
                await importer.CompleteAsync(cancellationToken);
            }
            await using var usage = new NpgsqlCommand("UPDATE quarantine_usage SET bytes = bytes + $1 RETURNING bytes", connection, transaction);
            usage.Parameters.Add(new NpgsqlParameter { Value = added });
            var total = (long)(await usage.ExecuteScalarAsync(cancellationToken))!;
            await transaction.CommitAsync(cancellationToken);
            if (total <= options.QuarantineMaxTotalBytes)
            {
                return;
            }
        }
        await TrimAsync(connection, cancellationToken);
    }

    /// <summary>Drops the oldest rows until the quarantine is back under its cap.</summary>
    private async Task TrimAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        while (true)
        {
            // The oldest rows whose bytes cover the excess (the running sum before each is still short of it).
            await using var trim = new NpgsqlCommand(
                "WITH excess AS (SELECT bytes - $1 AS bytes FROM quarantine_usage), " +
                "oldest AS (SELECT id, sum(stored_bytes) OVER (ORDER BY id) - stored_bytes AS before " +
                "           FROM (SELECT id, stored_bytes FROM quarantine ORDER BY id LIMIT $2) o), " +
                "gone AS (DELETE FROM quarantine WHERE id IN (SELECT id FROM oldest, excess WHERE oldest.before < excess.bytes) RETURNING stored_bytes), " +
                ReleaseGone,
                connection);
            trim.Parameters.Add(new NpgsqlParameter { Value = options.QuarantineMaxTotalBytes });
            trim.Parameters.Add(new NpgsqlParameter { Value = TrimChunk });
            await using var reader = await trim.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var (rows, total) = (reader.GetInt64(0), reader.GetInt64(1));
            if (rows > 0)
            {
                dropped.Add(rows);
                LogDropped(rows, options.QuarantineMaxTotalBytes);
            }
            if (rows == 0 || total <= options.QuarantineMaxTotalBytes)
            {
                return;
            }
        }
    }

    /// <summary>Deletes rows received before <paramref name="cutoff"/>.</summary>
    /// <returns>How many were deleted.</returns>
    public async Task<long> ExpireAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "WITH gone AS (DELETE FROM quarantine WHERE received_at < $1 RETURNING stored_bytes), " + ReleaseGone);
        command.Parameters.Add(new NpgsqlParameter { Value = cutoff.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Newest first, after the keyset cursor <paramref name="beforeId"/>.</summary>
    public async Task<IReadOnlyList<QuarantinedItem>> ListAsync(
        DateTimeOffset? from, DateTimeOffset? to, long? beforeId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {ListedColumns} FROM quarantine " +
            "WHERE ($1::timestamptz IS NULL OR received_at >= $1) AND ($2::timestamptz IS NULL OR received_at < $2) " +
            "AND ($3::bigint IS NULL OR id < $3) ORDER BY id DESC LIMIT $4");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)from?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)to?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)beforeId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<QuarantinedItem>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader, raw: null));
        }
        return items;
    }

    public async Task<QuarantinedItem?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {ListedColumns}, raw FROM quarantine WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader, reader.GetFieldValue<byte[]>(reader.GetOrdinal("raw"))) : null;
    }

    private const string ListedColumns = "id, received_at, source, origin, rejected, reasons, original_size";

    private static QuarantinedItem Read(NpgsqlDataReader reader, byte[]? raw) =>
        new(
            reader.GetInt64(reader.GetOrdinal("id")),
            reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("received_at")),
            reader.GetString(reader.GetOrdinal("source")),
            reader.GetString(reader.GetOrdinal("origin")),
            reader.GetInt32(reader.GetOrdinal("rejected")),
            reader.GetFieldValue<string[]>(reader.GetOrdinal("reasons")),
            reader.GetInt32(reader.GetOrdinal("original_size")),
            raw);

    /// <summary>Postgres text cannot hold NUL; reasons quote input, which may.</summary>
    private static string WithoutNul(string value) => value.Contains('\0') ? value.Replace("\0", "\\0") : value;

    [LoggerMessage(LogLevel.Warning, "Dropped the {Rows} oldest quarantine entries to stay under {Cap} bytes")]
    private partial void LogDropped(long rows, long cap);
}
