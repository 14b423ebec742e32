namespace Platform.Ingestion.Kinesis;

/// <summary>A row of <c>kinesis_leases</c>.</summary>
public sealed record ShardLeaseRow(
    string ShardId,
    string? Owner,
    long LeaseCounter,
    DateTimeOffset? ExpiresAt,
    string? Checkpoint,
    IReadOnlyList<string> ParentShardIds)
{
    /// <summary>The checkpoint of a closed shard read to its end.</summary>
    public const string ShardEnd = "SHARD_END";

    public bool IsFinished => Checkpoint == ShardEnd;

    public bool IsFreeAt(DateTimeOffset now) => Owner is null || ExpiresAt is null || ExpiresAt <= now;
}

/// <summary>A lease just taken: its counter and the checkpoint to resume after (read in the same statement).</summary>
public readonly record struct TakenLease(long Counter, string? Checkpoint);

/// <summary>
/// The lease table. Every change to a lease is conditional on the counter the caller last saw and bumps it, so
/// of two instances racing for a shard exactly one succeeds; the loser learns it from a null or false answer.
/// </summary>
public sealed class ShardLeaseStore(NpgsqlDataSource dataSource)
{
    /// <summary>Records that <paramref name="instanceId"/> is consuming <paramref name="source"/>.</summary>
    public async Task HeartbeatAsync(string source, string instanceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO kinesis_instances (source, instance_id, heartbeat_at) VALUES ($1, $2, $3)
            ON CONFLICT (source, instance_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = source });
        command.Parameters.Add(new NpgsqlParameter { Value = instanceId });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Instances that heartbeated since <paramref name="since"/> (older rows are removed on the way).</summary>
    public async Task<int> CountLiveInstancesAsync(string source, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM kinesis_instances WHERE source = $1 AND heartbeat_at < $2")
        {
            Parameters = { new NpgsqlParameter { Value = source }, new NpgsqlParameter { Value = since - TimeSpan.FromHours(1) } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT count(*) FROM kinesis_instances WHERE source = $1 AND heartbeat_at >= $2")
        {
            Parameters = { new NpgsqlParameter { Value = source }, new NpgsqlParameter { Value = since } },
        });
        return Convert.ToInt32(await batch.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Adds a free lease for each shard that has none yet.</summary>
    public async Task EnsureLeasesAsync(string source, IReadOnlyList<Shard> shards, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (shards.Count == 0)
        {
            return;
        }
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO kinesis_leases (source, shard_id, parent_shard_ids, created_at, updated_at)
            SELECT $1, shard.id, string_to_array(shard.parents, ','), $4, $4
              FROM unnest($2::text[], $3::text[]) AS shard(id, parents)
            ON CONFLICT (source, shard_id) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = source });
        command.Parameters.Add(new NpgsqlParameter { Value = shards.Select(s => s.ShardId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = shards.Select(s => string.Join(',', s.ParentShardIds)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ShardLeaseRow>> ListAsync(string source, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT shard_id, owner, lease_counter, expires_at, checkpoint, parent_shard_ids FROM kinesis_leases WHERE source = $1 ORDER BY shard_id");
        command.Parameters.Add(new NpgsqlParameter { Value = source });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var leases = new List<ShardLeaseRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            leases.Add(new ShardLeaseRow(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetFieldValue<string[]>(5)));
        }
        return leases;
    }

    /// <summary>Takes (or steals) a lease last seen at <paramref name="expectedCounter"/>; null when someone else changed it first.</summary>
    public async Task<TakenLease?> TryTakeAsync(string source, string shardId, long expectedCounter, string owner, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE kinesis_leases SET owner = $4, lease_counter = lease_counter + 1, expires_at = $5, updated_at = $6
             WHERE source = $1 AND shard_id = $2 AND lease_counter = $3
            RETURNING lease_counter, checkpoint
            """);
        AddParameters(command, source, shardId, expectedCounter, owner, expiresAt, now);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new TakenLease(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1))
            : null;
    }

    /// <summary>Extends a held lease; the new counter, or null when the lease was lost.</summary>
    public async Task<long?> TryRenewAsync(string source, string shardId, long expectedCounter, string owner, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE kinesis_leases SET lease_counter = lease_counter + 1, expires_at = $5, updated_at = $6
             WHERE source = $1 AND shard_id = $2 AND lease_counter = $3 AND owner = $4
            RETURNING lease_counter
            """);
        AddParameters(command, source, shardId, expectedCounter, owner, expiresAt, now);
        return await command.ExecuteScalarAsync(cancellationToken) is long counter ? counter : null;
    }

    /// <summary>Records how far a held lease's shard is read; false when the lease was lost (nothing changes).</summary>
    public async Task<bool> TryCheckpointAsync(string source, string shardId, long expectedCounter, string owner, string checkpoint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE kinesis_leases SET checkpoint = $5, updated_at = $6
             WHERE source = $1 AND shard_id = $2 AND lease_counter = $3 AND owner = $4
            """);
        AddParameters(command, source, shardId, expectedCounter, owner, checkpoint, now);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Marks a held lease's closed shard read to its end and frees it, so its children may start.</summary>
    public async Task<bool> TryFinishAsync(string source, string shardId, long expectedCounter, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE kinesis_leases
               SET checkpoint = $5, owner = NULL, expires_at = NULL, lease_counter = lease_counter + 1, updated_at = $6
             WHERE source = $1 AND shard_id = $2 AND lease_counter = $3 AND owner = $4
            """);
        AddParameters(command, source, shardId, expectedCounter, owner, ShardLeaseRow.ShardEnd, now);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Gives a held lease up (on a graceful stop) so another instance takes it without waiting for expiry.</summary>
    public async Task<bool> TryReleaseAsync(string source, string shardId, long expectedCounter, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE kinesis_leases SET owner = NULL, expires_at = NULL, lease_counter = lease_counter + 1, updated_at = $5
             WHERE source = $1 AND shard_id = $2 AND lease_counter = $3 AND owner = $4
            """);
        AddParameters(command, source, shardId, expectedCounter, owner, now);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static void AddParameters(NpgsqlCommand command, params object[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
    }
}
