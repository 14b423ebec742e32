namespace Platform.Ingestion.Storage;

/// <summary>
/// Retention per log group, counted from ingestion: partitions older than the longest retention are dropped
/// whole; in the partitions that remain, rows of log groups with a shorter retention are deleted. Quarantined
/// payloads older than their own retention go in the same run.
/// </summary>
public sealed partial class LogRetention(
    NpgsqlDataSource dataSource, LogPartitions partitions, QuarantineStore quarantine, IngestionOptions options, ILogger<LogRetention> logger)
{
    /// <summary>Records a log group's retention (null: the default), unless a newer version is already recorded.</summary>
    public async Task SetAsync(string logGroup, int? retentionDays, long version, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO log_group_retention (log_group, retention_days, version, updated_at) VALUES ($1, $2, $3, $4) " +
            "ON CONFLICT (log_group) DO UPDATE SET retention_days = EXCLUDED.retention_days, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at " +
            "WHERE log_group_retention.version < EXCLUDED.version");
        command.Parameters.Add(new NpgsqlParameter { Value = logGroup });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)retentionDays ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        command.Parameters.Add(new NpgsqlParameter { Value = at.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Applies retention as of <paramref name="now"/>.</summary>
    public async Task<RetentionOutcome> EnforceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        now = now.ToUniversalTime();
        var groups = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var select = dataSource.CreateCommand(
            "SELECT log_group, retention_days FROM log_group_retention WHERE retention_days IS NOT NULL"))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                groups[reader.GetString(0)] = reader.GetInt32(1);
            }
        }
        var defaultDays = options.DefaultRetentionDays;
        var longest = groups.Values.Append(defaultDays).Max();
        var longestCutoff = now.AddDays(-longest);

        var dropped = new List<DateOnly>();
        foreach (var day in await partitions.ListAsync(cancellationToken))
        {
            // A partition holds events ingested before the next midnight: all expired once that is past the cutoff.
            var end = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            if (end <= longestCutoff)
            {
                await partitions.DropAsync(day, cancellationToken);
                dropped.Add(day);
                LogDropped(LogPartitions.NameOf(day));
            }
        }

        long deleted = 0;
        foreach (var (group, days) in groups.Where(g => g.Value < longest))
        {
            await using var delete = dataSource.CreateCommand("DELETE FROM log_events WHERE log_group = $1 AND ingested_at < $2");
            delete.Parameters.Add(new NpgsqlParameter { Value = group });
            delete.Parameters.Add(new NpgsqlParameter { Value = now.AddDays(-days), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            deleted += await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        if (defaultDays < longest)
        {
            await using var delete = dataSource.CreateCommand(
                "DELETE FROM log_events WHERE ingested_at < $1 AND (log_group IS NULL OR NOT (log_group = ANY($2)))");
            delete.Parameters.Add(new NpgsqlParameter { Value = now.AddDays(-defaultDays), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            delete.Parameters.Add(new NpgsqlParameter { Value = groups.Keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            deleted += await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        // Ids outlive their events only as long as the longest retention: a replay older than that is new again.
        await using (var forget = dataSource.CreateCommand("DELETE FROM ingested_event_ids WHERE ingested_at < $1"))
        {
            forget.Parameters.Add(new NpgsqlParameter { Value = longestCutoff, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await forget.ExecuteNonQueryAsync(cancellationToken);
        }

        if (deleted > 0)
        {
            LogTrimmed(deleted);
        }
        var expired = await quarantine.ExpireAsync(now.AddDays(-options.QuarantineRetentionDays), cancellationToken);
        return new RetentionOutcome(dropped, deleted, expired);
    }

    [LoggerMessage(LogLevel.Information, "Dropped expired partition {Partition}")]
    private partial void LogDropped(string partition);

    [LoggerMessage(LogLevel.Information, "Deleted {Count} events past their log group's retention")]
    private partial void LogTrimmed(long count);
}
