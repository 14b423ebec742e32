namespace Platform.Detection.Correlation;

/// <summary>
/// Correlation windows in the service database, shared by every detection instance. Each call is one statement
/// that commits on its own (outside the consumer's transaction), as <see cref="ICorrelationWindowStore"/> requires:
/// of two instances recording into one window at once, the later reader sees both observations. Batches travel as
/// arrays (<c>unnest</c>), so a call is one round trip however many observations or groups it carries.
/// Live windows are in <c>correlation_observations</c>; retro-hunts' in <c>retro_hunt_observations</c> (<see cref="ForRetroHunts"/>).
/// </summary>
public sealed class PostgresCorrelationWindowStore(NpgsqlDataSource dataSource) : ICorrelationWindowStore
{
    private string _table = "correlation_observations";

    /// <summary>The store of retro-hunts' windows: a table of its own, which the live cleanup never touches.</summary>
    public static PostgresCorrelationWindowStore ForRetroHunts(NpgsqlDataSource dataSource) => new(dataSource) { _table = "retro_hunt_observations" };

    public async ValueTask<IReadOnlyList<bool>> RecordAsync(IReadOnlyList<CorrelationObservation> observations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var stored = new bool[observations.Count];
        if (observations.Count == 0)
        {
            return stored;
        }

        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO {_table} (correlation_key, group_key, event_id, rule_key, event_time, value)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[])
            ON CONFLICT DO NOTHING
            RETURNING correlation_key, group_key, event_id, rule_key
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. observations.Select(o => o.CorrelationKey)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. observations.Select(o => o.GroupKey)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. observations.Select(o => o.EventId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. observations.Select(o => o.RuleKey)] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. observations.Select(o => o.EventTime.ToUniversalTime())] });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. observations.Select(o => o.Value)] });

        var inserted = new HashSet<(string, string, string, string)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                inserted.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }

        // Of duplicates within the batch, the first is the one that stored the row.
        for (var i = 0; i < observations.Count; i++)
        {
            var o = observations[i];
            stored[i] = inserted.Remove((o.CorrelationKey, o.GroupKey, o.EventId, o.RuleKey));
        }

        return stored;
    }

    public async ValueTask<IReadOnlyList<CorrelationObservation>> GetObservationsAsync(
        IReadOnlyList<CorrelationWindowRange> ranges,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var observations = new List<CorrelationObservation>();
        if (ranges.Count == 0)
        {
            return observations;
        }

        // Each row names its range by ordinal: the range's key strings are shared by its rows, not read for each of them
        // (a window under attack holds thousands of rows, read once per batch).
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT r.ord, o.event_time, o.event_id, o.rule_key, o.value
            FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS r(correlation_key, group_key, from_time, to_time, ord)
            JOIN {_table} o
              ON o.correlation_key = r.correlation_key AND o.group_key = r.group_key
             AND o.event_time > r.from_time AND o.event_time < r.to_time
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ranges.Select(r => r.CorrelationKey)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ranges.Select(r => r.GroupKey)] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. ranges.Select(r => r.FromExclusive.ToUniversalTime())] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. ranges.Select(r => r.ToExclusive.ToUniversalTime())] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var range = ranges[(int)reader.GetInt64(0) - 1];
            observations.Add(new CorrelationObservation(
                range.CorrelationKey,
                range.GroupKey,
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return observations;
    }

    public async ValueTask<int> RemoveOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"DELETE FROM {_table} WHERE event_time < $1");
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = cutoff.ToUniversalTime() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
