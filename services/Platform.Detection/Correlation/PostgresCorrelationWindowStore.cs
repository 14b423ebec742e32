using NpgsqlTypes;

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
    private readonly WindowCache _cache = new(WindowCache.DefaultMaxRows);
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

    /// <summary>
    /// The observations of each range. A group's window read before is kept (<see cref="WindowCache"/>): only rows of the
    /// range outside what is kept, and rows written by transactions that had not finished at the last read (another
    /// instance's, or this one's in flight), are read; under an attack a window holds thousands of rows and every batch
    /// reads it, so reading it whole each time made the work and the memory per batch grow with the attack.
    /// </summary>
    public async ValueTask<IReadOnlyList<CorrelationObservation>> GetObservationsAsync(
        IReadOnlyList<CorrelationWindowRange> ranges,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        if (ranges.Count == 0)
        {
            return [];
        }

        var kept = ranges.Select(r => _cache.Get(r.CorrelationKey, r.GroupKey)).ToArray();

        // Each row names its range by ordinal: the range's key strings are shared by its rows, not read for each of them.
        // A kept window's rows between its bounds written before its watermark are not read again. The first row carries
        // the snapshot's xmin (every transaction below it had finished): the next read's watermark.
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT s.xmin, r.ord, o.event_time, o.event_id, o.rule_key, o.value
            FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) s
            LEFT JOIN (unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::xid8[])
                       WITH ORDINALITY AS r(correlation_key, group_key, from_time, to_time, kept_from, kept_to, watermark, ord)
                  JOIN {_table} o
                    ON o.correlation_key = r.correlation_key AND o.group_key = r.group_key
                   AND o.event_time > r.from_time AND o.event_time < r.to_time
                   AND (o.written_by >= r.watermark OR o.event_time <= r.kept_from OR o.event_time >= r.kept_to)) ON true
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ranges.Select(r => r.CorrelationKey)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ranges.Select(r => r.GroupKey)] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. ranges.Select(r => r.FromExclusive.ToUniversalTime())] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. ranges.Select(r => r.ToExclusive.ToUniversalTime())] });
        // Nothing kept: an empty span (from = to) and watermark 0, so every row of the range is read.
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. kept.Select((k, i) => (k?.From ?? ranges[i].FromExclusive).ToUniversalTime())] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. kept.Select((k, i) => (k?.To ?? ranges[i].FromExclusive).ToUniversalTime())] });
        command.Parameters.Add(new NpgsqlParameter<ulong[]> { TypedValue = [.. kept.Select(k => k?.Watermark ?? 0UL)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Xid8 });

        var read = new List<CorrelationObservation>[ranges.Count];
        ulong watermark = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                watermark = reader.GetFieldValue<ulong>(0);
                if (reader.IsDBNull(1))
                {
                    continue;
                }

                var index = (int)reader.GetInt64(1) - 1;
                var range = ranges[index];
                (read[index] ??= []).Add(new CorrelationObservation(
                    range.CorrelationKey,
                    range.GroupKey,
                    reader.GetFieldValue<DateTimeOffset>(2),
                    reader.GetString(3),
                    _cache.RuleKey(reader.GetString(4)),
                    reader.IsDBNull(5) ? null : reader.GetString(5)));
            }
        }

        var observations = new List<CorrelationObservation>();
        for (var i = 0; i < ranges.Count; i++)
        {
            observations.AddRange(_cache.Merge(ranges[i], kept[i], read[i] ?? [], watermark));
        }

        return observations;
    }

    public async ValueTask<int> RemoveOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"DELETE FROM {_table} WHERE event_time < $1");
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = cutoff.ToUniversalTime() });
        var removed = await command.ExecuteNonQueryAsync(cancellationToken);
        _cache.RemoveOlderThan(cutoff);
        return removed;
    }
}
