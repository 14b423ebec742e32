using Npgsql;
using NpgsqlTypes;
using Platform.Ingestion.Parsing;

namespace Platform.Ingestion.Quarantine;

/// <summary>Keeps rejected input with its bytes (up to a bound), the reason, the source and the time.</summary>
public sealed class QuarantineStore(NpgsqlDataSource dataSource)
{
    public async Task AddAsync(
        IReadOnlyList<RejectedInput> rejected, string source, DateTimeOffset receivedAt, int maxBytes, CancellationToken cancellationToken)
    {
        if (rejected.Count == 0)
        {
            return;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY quarantine (received_at, source, origin, reason, original_size, raw) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var input in rejected)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(receivedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync(WithoutNul(source), NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(WithoutNul(input.Origin), NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(WithoutNul(input.Reason), NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(input.Raw.Length, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(input.Raw[..Math.Min(input.Raw.Length, maxBytes)].ToArray(), NpgsqlDbType.Bytea, cancellationToken);
        }
        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>Newest first, after the keyset cursor <paramref name="beforeId"/>.</summary>
    public async Task<IReadOnlyList<QuarantinedItem>> ListAsync(
        DateTimeOffset? from, DateTimeOffset? to, long? beforeId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, received_at, source, origin, reason, original_size FROM quarantine " +
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
            items.Add(new QuarantinedItem(
                reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetInt32(5), Raw: null));
        }
        return items;
    }

    public async Task<QuarantinedItem?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, received_at, source, origin, reason, original_size, raw FROM quarantine WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new QuarantinedItem(
                reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetInt32(5), reader.GetFieldValue<byte[]>(6))
            : null;
    }

    /// <summary>Postgres text cannot hold NUL; reasons quote input, which may.</summary>
    private static string WithoutNul(string value) => value.Contains('\0') ? value.Replace("\0", "\\0") : value;
}
