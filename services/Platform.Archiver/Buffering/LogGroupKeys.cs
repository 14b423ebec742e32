namespace Platform.Archiver.Buffering;

/// <summary>
/// Each log group's KMS key id, from provisioning (caught up at start, then its live events), in the archiver's
/// database so every instance sees it. Events are buffered with their log group's key of the moment, and their file
/// is encrypted with it.
/// </summary>
public sealed class LogGroupKeys(NpgsqlDataSource dataSource)
{
    /// <summary>Records the key (null: none, or the group deleted) unless a newer version is already recorded.</summary>
    public async Task SetAsync(string logGroup, string? kmsKeyId, long version, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO log_group_keys (name, kms_key_id, version) VALUES ($1, $2, $3)
            ON CONFLICT (name) DO UPDATE SET kms_key_id = excluded.kms_key_id, version = excluded.version
            WHERE log_group_keys.version < excluded.version
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = logGroup });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)(string.IsNullOrWhiteSpace(kmsKeyId) ? null : kmsKeyId) ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = version });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>Provisioning's log group events, applied to <see cref="LogGroupKeys"/>.</summary>
public sealed class LogGroupKeysConsumer(LogGroupKeys keys) : IConsumer<LogGroupProvisioned>, IConsumer<LogGroupDeleted>
{
    public Task Consume(ConsumeContext<LogGroupProvisioned> context) =>
        keys.SetAsync(context.Message.Name, context.Message.Spec.KmsKeyId, context.Message.Version, context.CancellationToken);

    public Task Consume(ConsumeContext<LogGroupDeleted> context) =>
        keys.SetAsync(context.Message.Name, null, context.Message.Version, context.CancellationToken);
}
