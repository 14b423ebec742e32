namespace Platform.Ingestion.Kinesis;

/// <summary>A provisioned source's last known state: its spec, or deleted, at a stream version.</summary>
public sealed record ProvisionedSourceState(string Name, SourceSpec? Spec, long Version)
{
    public bool Deleted => Spec is null;
}

/// <summary>The <c>kinesis_sources</c> table: provisioned sources, kept so a restart knows them without provisioning.</summary>
public sealed class KinesisSourceStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<IReadOnlyList<ProvisionedSourceState>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT name, spec, version, deleted FROM kinesis_sources");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var states = new List<ProvisionedSourceState>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var spec = reader.GetBoolean(3) || reader.IsDBNull(1)
                ? null
                : JsonSerializer.Deserialize<SourceSpec>(reader.GetString(1), PlatformJson.Options);
            states.Add(new ProvisionedSourceState(reader.GetString(0), spec, reader.GetInt64(2)));
        }
        return states;
    }

    /// <summary>Stores <paramref name="state"/> unless a newer version is stored already; true when stored.</summary>
    public async Task<bool> SaveAsync(ProvisionedSourceState state, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO kinesis_sources (name, spec, version, deleted, updated_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (name) DO UPDATE
               SET spec = excluded.spec, version = excluded.version, deleted = excluded.deleted, updated_at = excluded.updated_at
             WHERE kinesis_sources.version < excluded.version
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = state.Name });
        command.Parameters.Add(new NpgsqlParameter
        {
            NpgsqlDbType = NpgsqlDbType.Jsonb,
            Value = state.Spec is null ? DBNull.Value : JsonSerializer.Serialize(state.Spec, PlatformJson.Options),
        });
        command.Parameters.Add(new NpgsqlParameter { Value = state.Version });
        command.Parameters.Add(new NpgsqlParameter { Value = state.Deleted });
        command.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }
}
