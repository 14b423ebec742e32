namespace Platform.Detection.Findings;

/// <summary>
/// Reads a finding from its read model row (the fold of its stream, kept in step in the same transaction)
/// and appends a change to its stream with the version it was read at, updating the row to match.
/// Nothing is written until the caller's <c>SaveChangesAsync</c>.
/// </summary>
public sealed class FindingStreams(DetectionDbContext db, EventStore store)
{
    public Task<FindingRecord?> FindAsync(Guid findingId, CancellationToken cancellationToken) =>
        db.Findings.FirstOrDefaultAsync(f => f.Id == findingId, cancellationToken);

    /// <summary>
    /// Reads and locks the existing findings among <paramref name="findingIds"/> until the transaction ends, in id
    /// order: instances adding to the same findings wait for each other instead of failing on the stream version.
    /// The findings not created yet are locked too (<see cref="CreationLocks"/>): of two batches creating one, the
    /// later waits and reads it, instead of failing on its key.
    /// </summary>
    public async Task<Dictionary<Guid, FindingRecord>> LockAsync(Guid[] findingIds, CancellationToken cancellationToken)
    {
        var rows = await CreationLocks.LockRowsAsync(
            "finding", findingIds, (ids, names) => db.Findings.FromSql($"SELECT * FROM lock_findings({ids}, {names})"), cancellationToken);
        return rows.ToDictionary(r => r.Id);
    }

    /// <summary>
    /// Stages <paramref name="change"/> at the version the finding was read at (its read model row is updated in the
    /// same transaction as its stream, so the row's version is the stream's): no version query.
    /// </summary>
    /// <exception cref="StreamConcurrencyException">At save: someone else changed the finding since it was read.</exception>
    public FindingState Append(FindingRecord? record, FindingState state, FindingChange change, string actor)
    {
        var findingId = record?.Id ?? change.Events.OfType<FindingOpened>().Single().FindingId;
        var version = store.Append(FindingFingerprint.StreamIdOf(findingId), state.Version, change.Events, new EventMetadata(actor));
        var next = change.Events.Aggregate(state, FindingState.Apply) with { Version = version };
        if (record is null)
        {
            db.Findings.Add(FindingRecord.From(next));
        }
        else
        {
            record.Update(next);
        }

        return next;
    }
}
