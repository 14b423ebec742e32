using System.Diagnostics;

namespace Platform.Detection.Findings;

/// <summary>
/// Reads a finding from its read model row (the fold of its stream, kept in step in the same transaction)
/// and appends a change to its stream with the version it was read at, updating the row to match.
/// Nothing is written until the caller's <c>SaveChangesAsync</c>.
/// </summary>
public sealed class FindingStreams(DetectionDbContext db, EventStore store, FindingStateCache cache)
{
    /// <summary>
    /// The findings locked or staged in this unit of work, as they now stand (a kept state's row has no state): once the
    /// transaction commits, each is a committed state at its version.
    /// </summary>
    private readonly Dictionary<Guid, LockedFinding> _known = [];

    public Task<FindingRecord?> FindAsync(Guid findingId, CancellationToken cancellationToken) =>
        db.Findings.FirstOrDefaultAsync(f => f.Id == findingId, cancellationToken);

    /// <summary>
    /// Locks the existing findings among <paramref name="findingIds"/> until the transaction ends, in id order, and
    /// returns their rows and states: instances adding to the same findings wait for each other instead of failing on
    /// the stream version. The findings not created yet are locked too (<see cref="CreationLocks"/>): of two batches
    /// creating one, the later waits and reads it, instead of failing on its key. The lock answers each row's version; a
    /// state this instance committed at that version is taken from <see cref="FindingStateCache"/>, the others are read.
    /// </summary>
    public async Task<Dictionary<Guid, LockedFinding>> LockAsync(Guid[] findingIds, CancellationToken cancellationToken)
    {
        var versions = await CreationLocks.LockRowsAsync(
            "finding", findingIds,
            (ids, names) => db.Database.SqlQuery<FindingVersion>($"SELECT id, version FROM lock_finding_versions({ids}, {names})"),
            cancellationToken);
        var locked = new Dictionary<Guid, LockedFinding>(versions.Count);
        var unknown = new List<Guid>();
        foreach (var row in versions)
        {
            if (_known.TryGetValue(row.Id, out var known))
            {
                locked[row.Id] = known;
            }
            else if (db.Findings.Local.FindEntry(row.Id) is null && cache.Get(row.Id, row.Version) is { } state)
            {
                var record = FindingRecord.Committed(state);
                db.Findings.Attach(record);
                locked[row.Id] = _known[row.Id] = new LockedFinding(record, state);
            }
            else
            {
                unknown.Add(row.Id);
            }
        }

        if (unknown.Count > 0)
        {
            // A row this context tracks otherwise comes back as tracked, with the state it holds.
            foreach (var record in await db.Findings.Where(f => unknown.Contains(f.Id)).ToListAsync(cancellationToken))
            {
                locked[record.Id] = _known[record.Id] = new LockedFinding(record, record.ToState());
            }
        }

        Activity.Current?.SetTag("platform.findings.kept", locked.Count - unknown.Count).SetTag("platform.findings.read", unknown.Count);
        return locked;
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
            record = FindingRecord.From(next);
            db.Findings.Add(record);
        }
        else
        {
            record.Update(next);
        }

        _known[findingId] = new LockedFinding(record, next);

        return next;
    }

    /// <summary>Once the transaction of the changes staged here has committed: the states it locked and staged are kept for the next lock.</summary>
    public void Committed()
    {
        cache.Keep(_known.Values.Select(k => k.State));
        _known.Clear();
    }

    private sealed record FindingVersion(Guid Id, long Version);
}

/// <summary>A finding's row, locked, and its state.</summary>
public sealed record LockedFinding(FindingRecord Record, FindingState State);
