namespace Platform.Archiver.Api;

/// <summary>The last archive file written.</summary>
public sealed record ArchivedFile(string Key, DateTimeOffset WrittenAt, int Events, long Bytes, string Sha256);

/// <summary>The answer of <c>GET /v1/archive/status</c>.</summary>
/// <param name="Bucket">The archive's bucket.</param>
/// <param name="Prefix">The key prefix of every archive object.</param>
/// <param name="LagSeconds">How long the oldest event not yet in a file has waited; 0 when none waits.</param>
/// <param name="PendingEvents">Events buffered and not yet in a written file.</param>
/// <param name="LastFile">The file written last; null before the first.</param>
/// <param name="LastDigest">The key of the digest written last; null before the first.</param>
public sealed record ArchiveStatusView(
    string Bucket, string Prefix, double LagSeconds, long PendingEvents, ArchivedFile? LastFile, string? LastDigest);

/// <summary>The archive's state from the archiver's database.</summary>
public sealed class ArchiveStatus(NpgsqlDataSource dataSource, Storage.ArchiveBucket bucket, Writing.ArchiveLayout layout, TimeProvider clock)
{
    /// <summary>
    /// When the oldest event that is not in a written file was buffered; null when there is none. The buffer holds only
    /// such events (a file's chunks are dropped as it is marked written).
    /// </summary>
    public static async Task<DateTimeOffset?> OldestPendingAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT min(buffered_at) FROM archive_chunks");
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime oldest ? new DateTimeOffset(oldest, TimeSpan.Zero) : null;
    }

    public async Task<ArchiveStatusView> GetAsync(CancellationToken cancellationToken)
    {
        var oldest = await OldestPendingAsync(dataSource, cancellationToken);
        long pending;
        await using (var count = dataSource.CreateCommand("SELECT coalesce(sum(events), 0) FROM archive_chunks"))
        {
            pending = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        ArchivedFile? last = null;
        await using (var select = dataSource.CreateCommand("""
            SELECT object_key, written_at, events, bytes, sha256 FROM archive_files WHERE written_at IS NOT NULL ORDER BY written_at DESC, id DESC LIMIT 1
            """))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                last = new ArchivedFile(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetString(4));
            }
        }
        await using var digest = dataSource.CreateCommand("SELECT object_key FROM archive_digests WHERE written_at IS NOT NULL ORDER BY seq DESC LIMIT 1");
        var lastDigest = await digest.ExecuteScalarAsync(cancellationToken) as string;
        var lag = oldest is { } waiting ? (clock.GetUtcNow() - waiting).TotalSeconds : 0;
        return new ArchiveStatusView(bucket.Name, layout.Prefix, Math.Max(0, lag), pending, last, lastDigest);
    }
}
