using Npgsql;
using NpgsqlTypes;
using Platform.Sigma.Correlation;

namespace Platform.Detection.Correlation;

/// <summary>
/// Correlation windows in the service database, shared by every detection instance. Each call commits on
/// its own (outside the consumer's transaction), as <see cref="ICorrelationWindowStore"/> requires: of two
/// instances recording into one window at once, the later reader sees both observations.
/// </summary>
public sealed class PostgresCorrelationWindowStore(NpgsqlDataSource dataSource) : ICorrelationWindowStore
{
    public async ValueTask<bool> RecordAsync(CorrelationObservation observation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observation);
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO correlation_observations (correlation_key, group_key, event_id, rule_key, event_time, value)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = observation.CorrelationKey });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = observation.GroupKey });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = observation.EventId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = observation.RuleKey });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = observation.EventTime.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)observation.Value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async ValueTask<IReadOnlyList<CorrelationObservation>> GetObservationsAsync(
        string correlationKey,
        string groupKey,
        DateTimeOffset fromExclusive,
        DateTimeOffset toExclusive,
        CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT event_time, event_id, rule_key, value FROM correlation_observations
            WHERE correlation_key = $1 AND group_key = $2 AND event_time > $3 AND event_time < $4
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = correlationKey });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = groupKey });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = fromExclusive.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = toExclusive.ToUniversalTime() });
        var observations = new List<CorrelationObservation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            observations.Add(new CorrelationObservation(
                correlationKey,
                groupKey,
                reader.GetFieldValue<DateTimeOffset>(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return observations;
    }

    public async ValueTask<int> RemoveOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM correlation_observations WHERE event_time < $1");
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = cutoff.ToUniversalTime() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
