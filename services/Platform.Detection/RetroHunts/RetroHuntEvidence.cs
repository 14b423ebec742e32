namespace Platform.Detection.RetroHunts;

/// <summary>
/// The evidence of a hunt's correlated events (id, time, name), so that a correlation firing in one batch shows the
/// window's events of the hunt's other batches too (a hunt's slices are scanned at once, its batches evaluated in any
/// order). Each call is one statement committing on its own, as the hunt's windows do
/// (<see cref="Correlation.PostgresCorrelationWindowStore"/>): recorded before the batch's observations, the evidence of
/// every observation a batch reads is there. Removed with the hunt's windows (<see cref="RetroHuntStore.RemoveWindowsAsync"/>).
/// </summary>
public sealed class RetroHuntEvidence(NpgsqlDataSource dataSource)
{
    public async Task RecordAsync(Guid huntId, IReadOnlyCollection<NormalizedLogEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO retro_hunt_evidence (hunt_id, event_id, event_time, event_name)
            SELECT $1, * FROM unnest($2::text[], $3::timestamptz[], $4::text[])
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = huntId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. events.Select(e => e.EventId)] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. events.Select(e => e.EventTime.ToUniversalTime())] });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. events.Select(e => e.EventName)] });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The evidence of those of <paramref name="eventIds"/> the hunt recorded, by event id.</summary>
    public async Task<IReadOnlyDictionary<string, FindingEvidence>> FindAsync(Guid huntId, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT event_id, event_time, event_name FROM retro_hunt_evidence WHERE hunt_id = $1 AND event_id = ANY($2)");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = huntId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. eventIds] });
        var found = new Dictionary<string, FindingEvidence>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            found[id] = new FindingEvidence(id, reader.GetFieldValue<DateTimeOffset>(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        }

        return found;
    }
}
