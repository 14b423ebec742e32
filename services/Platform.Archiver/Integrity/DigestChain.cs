namespace Platform.Archiver.Integrity;

/// <summary>One archive file as a digest lists it.</summary>
public sealed record DigestFile(string Key, string Sha256, long Bytes, int Events);

/// <summary>
/// A digest object's content: the files written in its period with their SHA-256, and the previous digest's key and
/// SHA-256, which chains the digests (like CloudTrail's log file validation). Its RSA signature travels as the
/// object's <c>x-amz-meta-signature</c>.
/// </summary>
public sealed record Digest(
    long Seq,
    DateTimeOffset DigestStartTime,
    DateTimeOffset DigestEndTime,
    string Bucket,
    string? PreviousDigestKey,
    string? PreviousDigestSha256,
    string SignatureAlgorithm,
    IReadOnlyList<DigestFile> Files);

/// <summary>
/// Writes the digests: every <see cref="ArchiverOptions.DigestInterval"/> (and on a flush), one listing the files written
/// since the last. Planned first (content, hash and signature stored, the files assigned, in one transaction), then
/// uploaded, then marked: a digest planned before a crash is uploaded again, byte for byte.
/// </summary>
public sealed class DigestChain(
    NpgsqlDataSource dataSource, ArchiveBucket bucket, ArchiveLayout layout, SigningKey signingKey, ArchiverOptions options, TimeProvider clock)
{
    /// <summary>Writes the digest that is due, if any; its key.</summary>
    public async Task<string?> WriteDueAsync(bool flush, CancellationToken cancellationToken)
    {
        string? written = null;
        await foreach (var (key, content, signature) in PlannedAsync(cancellationToken))
        {
            await UploadAsync(key, content, signature, cancellationToken);
            written = key;
        }
        if (await PlanAsync(flush, cancellationToken) is { } planned)
        {
            await UploadAsync(planned.Key, planned.Content, planned.Signature, cancellationToken);
            written = planned.Key;
        }
        return written;
    }

    private async IAsyncEnumerable<(string Key, byte[] Content, string Signature)> PlannedAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT object_key, content, signature FROM archive_digests WHERE written_at IS NULL ORDER BY seq");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var planned = new List<(string, byte[], string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            planned.Add((reader.GetString(0), reader.GetFieldValue<byte[]>(1), reader.GetString(2)));
        }
        foreach (var item in planned)
        {
            yield return item;
        }
    }

    private async Task<(string Key, byte[] Content, string Signature)?> PlanAsync(bool flush, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        long previousSeq = 0;
        string? previousKey = null, previousSha = null;
        DateTimeOffset? previousEnd = null;
        await using (var last = new NpgsqlCommand(
            "SELECT seq, object_key, sha256, period_end FROM archive_digests ORDER BY seq DESC LIMIT 1", connection, transaction))
        await using (var reader = await last.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                (previousSeq, previousKey, previousSha, previousEnd) =
                    (reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3));
            }
        }

        var now = clock.GetUtcNow();
        var files = new List<(long Id, DigestFile File, DateTimeOffset WrittenAt)>();
        await using (var select = new NpgsqlCommand("""
            SELECT id, object_key, sha256, bytes, events, written_at FROM archive_files
            WHERE written_at IS NOT NULL AND digest_seq IS NULL ORDER BY id
            """, connection, transaction))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                files.Add((reader.GetInt64(0),
                    new DigestFile(reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt32(4)),
                    reader.GetFieldValue<DateTimeOffset>(5)));
            }
        }
        var start = previousEnd ?? (files.Count > 0 ? files.Min(f => f.WrittenAt) : now);
        if (files.Count == 0 || (!flush && now - start < options.DigestInterval))
        {
            return null;
        }

        var seq = previousSeq + 1;
        var digest = new Digest(seq, start, now, bucket.Name, previousKey, previousSha, SigningKey.Algorithm, files.Select(f => f.File).ToList());
        var content = JsonSerializer.SerializeToUtf8Bytes(digest, PlatformJson.Options);
        var signature = Convert.ToHexStringLower(await signingKey.SignAsync(content, cancellationToken));
        var key = layout.DigestKey(seq, now);

        await using (var insert = new NpgsqlCommand("""
            INSERT INTO archive_digests (seq, object_key, period_start, period_end, content, sha256, signature) VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = seq });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = start });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = content });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Convert.ToHexStringLower(SHA256.HashData(content)) });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = signature });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var assign = new NpgsqlCommand("UPDATE archive_files SET digest_seq = $1 WHERE id = ANY($2)", connection, transaction))
        {
            assign.Parameters.Add(new NpgsqlParameter<long> { TypedValue = seq });
            assign.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = files.Select(f => f.Id).ToArray() });
            await assign.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return (key, content, signature);
    }

    private async Task UploadAsync(string key, byte[] content, string signature, CancellationToken cancellationToken)
    {
        await bucket.PutAsync(key, content, "application/json", "",
            new Dictionary<string, string> { [ArchiveBucket.SignatureMetadata] = signature }, cancellationToken);
        await using var mark = dataSource.CreateCommand("UPDATE archive_digests SET written_at = $2 WHERE object_key = $1");
        mark.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        mark.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
        await mark.ExecuteNonQueryAsync(cancellationToken);
    }
}
