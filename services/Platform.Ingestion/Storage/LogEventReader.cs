namespace Platform.Ingestion.Storage;

/// <summary>Reads the raw log store for the API. Filters become parameters, never SQL text.</summary>
public sealed class LogEventReader(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<StoredLogEvent>> ListAsync(LogEventFilter filter, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        var where = new StringBuilder();
        void Add(string condition, object value, NpgsqlDbType type)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = type });
            where.Append(where.Length == 0 ? " WHERE " : " AND ").Append(condition.Replace("@", "$" + command.Parameters.Count, StringComparison.Ordinal));
        }
        if (filter.From is { } from)
        {
            Add("event_time >= @", from.ToUniversalTime(), NpgsqlDbType.TimestampTz);
        }
        if (filter.To is { } to)
        {
            Add("event_time < @", to.ToUniversalTime(), NpgsqlDbType.TimestampTz);
        }
        AddText("source_type", filter.SourceType);
        AddText("log_group", filter.LogGroup);
        AddText("event_name", filter.EventName);
        AddText("principal", filter.Principal);
        AddText("source_ip", filter.SourceIp);
        AddText("error_code", filter.ErrorCode);
        if (filter.AfterEventTime is { } afterTime && filter.AfterEventId is { } afterId)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = afterTime.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter { Value = afterId, NpgsqlDbType = NpgsqlDbType.Text });
            where.Append(where.Length == 0 ? " WHERE " : " AND ")
                .Append($"(event_time, event_id) < (${command.Parameters.Count - 1}, ${command.Parameters.Count})");
        }
        command.Parameters.Add(new NpgsqlParameter { Value = filter.Limit });
        command.CommandText =
            $"SELECT {RawLogStore.Columns} FROM log_events{where} ORDER BY event_time DESC, event_id DESC LIMIT ${command.Parameters.Count}";
        return await RawLogStore.ReadAsync(command, cancellationToken);

        void AddText(string column, string? value)
        {
            if (value is not null)
            {
                Add(column + " = @", value, NpgsqlDbType.Text);
            }
        }
    }

    public async Task<StoredLogEvent?> FindAsync(string eventId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {RawLogStore.Prefixed("e")} FROM {RawLogStore.ByIdJoin} WHERE i.event_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = eventId, NpgsqlDbType = NpgsqlDbType.Text });
        var found = await RawLogStore.ReadAsync(command, cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }
}
