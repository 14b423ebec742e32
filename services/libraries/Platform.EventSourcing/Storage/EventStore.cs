namespace Platform.EventSourcing.Storage;

/// <summary>
/// Appends events to streams with an expected version and reads them back. Appends are staged on the
/// service's DbContext and written by its <c>SaveChangesAsync</c>, in the same transaction as anything
/// else the caller changed; the outbox relay publishes them after commit.
/// </summary>
public sealed class EventStore(EventStoreDbContext db, EventTypeRegistry types, TimeProvider clock)
{
    public EventStoreDbContext Context => db;

    /// <summary>The stream's current version: 0 when it has no events.</summary>
    public async Task<long> GetVersionAsync(string streamId, CancellationToken cancellationToken) =>
        await db.Events.Where(e => e.StreamId == streamId).MaxAsync(e => (long?)e.StreamVersion, cancellationToken) ?? 0;

    /// <summary>
    /// Stages <paramref name="events"/> at the end of the stream. Throws <see cref="StreamConcurrencyException"/>
    /// now if the stream is not at <paramref name="expectedVersion"/>, or at save if another writer got there first.
    /// </summary>
    /// <returns>The stream's version after these events.</returns>
    public async Task<long> AppendAsync(
        string streamId, long expectedVersion, IReadOnlyList<object> events, EventMetadata? metadata, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        if (events.Count == 0)
        {
            throw new ArgumentException("Nothing to append.", nameof(events));
        }

        var current = await GetVersionAsync(streamId, cancellationToken);
        if (expectedVersion != ExpectedVersion.Any && current != expectedVersion)
        {
            throw new StreamConcurrencyException(streamId, expectedVersion, current);
        }

        return Append(streamId, current, events, metadata);
    }

    /// <summary>
    /// Stages <paramref name="events"/> after <paramref name="currentVersion"/> without asking the database: for a
    /// caller that already knows the stream's version (it read it in this transaction, e.g. under a row lock, or it
    /// creates the stream). A wrong version is not lost: <c>SaveChangesAsync</c> throws
    /// <see cref="StreamConcurrencyException"/> on the stream's unique (stream, version).
    /// </summary>
    /// <returns>The stream's version after these events.</returns>
    public long Append(string streamId, long currentVersion, IReadOnlyList<object> events, EventMetadata? metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        ArgumentOutOfRangeException.ThrowIfNegative(currentVersion);
        if (events.Count == 0)
        {
            throw new ArgumentException("Nothing to append.", nameof(events));
        }

        var now = clock.GetUtcNow();
        var metadataJson = metadata is null ? null : JsonSerializer.Serialize(metadata, PlatformJson.Options);
        var version = currentVersion;
        foreach (var @event in events)
        {
            var registration = types.For(@event.GetType());
            db.Events.Add(new StoredEvent
            {
                EventId = Guid.CreateVersion7(now),
                StreamId = streamId,
                StreamVersion = ++version,
                EventType = registration.Name,
                Data = JsonSerializer.Serialize(@event, registration.Type, PlatformJson.Options),
                Metadata = metadataJson,
                RecordedAt = now,
                PublishedAt = registration.Publish ? null : now,
            });
        }
        return version;
    }

    public async Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, CancellationToken cancellationToken)
    {
        var rows = await db.Events.AsNoTracking()
            .Where(e => e.StreamId == streamId)
            .OrderBy(e => e.StreamVersion)
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(Deserialize);
    }

    /// <summary>Folds a stream into its state with a pure apply function.</summary>
    public async Task<StreamState<TState>> LoadAsync<TState>(
        string streamId, TState initial, Func<TState, object, TState> apply, CancellationToken cancellationToken)
    {
        var events = await ReadStreamAsync(streamId, cancellationToken);
        var state = initial;
        foreach (var recorded in events)
        {
            state = apply(state, recorded.Data);
        }
        return new StreamState<TState>(state, events.Count == 0 ? 0 : events[^1].StreamVersion);
    }

    /// <summary>
    /// Events after a global position, in position order: for projections catching up. Positions of
    /// transactions still in flight can appear later below the last one read, so a projection re-reads
    /// a little behind its checkpoint or tolerates that (the relay does not rely on positions).
    /// </summary>
    public async Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken)
    {
        var rows = await db.Events.AsNoTracking()
            .Where(e => e.GlobalPosition > afterPosition)
            .OrderBy(e => e.GlobalPosition)
            .Take(maxCount)
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(Deserialize);
    }

    private RecordedEvent Deserialize(StoredEvent row)
    {
        var registration = types.For(row.EventType);
        var data = JsonSerializer.Deserialize(row.Data, registration.Type, PlatformJson.Options)
            ?? throw new InvalidOperationException($"Event {row.EventId} of '{row.StreamId}' has no data.");
        var metadata = row.Metadata is null
            ? new EventMetadata()
            : JsonSerializer.Deserialize<EventMetadata>(row.Metadata, PlatformJson.Options) ?? new EventMetadata();
        return new RecordedEvent(row.GlobalPosition, row.EventId, row.StreamId, row.StreamVersion, row.EventType, data, metadata, row.RecordedAt);
    }
}
