using Npgsql;

namespace Platform.Provisioning.Resources;

/// <summary>What a write did to a resource.</summary>
public enum ResourceChange
{
    Created,
    Changed,
    Unchanged,
    Deleted,
}

/// <summary>A staged write: what it does and the stream version after it.</summary>
public sealed record ResourceWrite(ResourceChange Change, long Version);

/// <summary>
/// Resources as event streams (<c>&lt;kind&gt;/&lt;name&gt;</c>) plus the <c>resources</c> read model. Writes are
/// staged (event and row together) and committed by <see cref="SaveAsync"/> in one transaction, so a stack
/// of many resources commits all or nothing, and the outbox publishes the events only after that commit.
/// </summary>
public sealed class ResourceStore(ProvisioningDbContext db, EventStore events, TimeProvider clock)
{
    public static string StreamId(string kind, string name) => $"{kind}/{name}";

    public ValueTask<ResourceRow?> FindAsync(string kind, string name, CancellationToken cancellationToken) =>
        db.Resources.FindAsync([kind, name], cancellationToken);

    public Task<List<ResourceRow>> ListAsync(string kind, CancellationToken cancellationToken) =>
        db.Resources.AsNoTracking().Where(r => r.Kind == kind).OrderBy(r => r.Name).ToListAsync(cancellationToken);

    public Task<List<ResourceRow>> FindManyAsync(IReadOnlyCollection<string> streamIds, CancellationToken cancellationToken) =>
        db.Resources.Where(r => streamIds.Contains(r.Kind + "/" + r.Name)).ToListAsync(cancellationToken);

    public Task<IReadOnlyList<RecordedEvent>> HistoryAsync(string kind, string name, CancellationToken cancellationToken) =>
        events.ReadStreamAsync(StreamId(kind, name), cancellationToken);

    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken) => !await db.Events.AnyAsync(cancellationToken);

    /// <summary>Stages a create or change; nothing when the normalised spec equals the current one (a PUT is idempotent).</summary>
    public async Task<ResourceWrite> StagePutAsync(
        ResourceKind kind, string name, object spec, ResourceRow? current, string actor, CancellationToken cancellationToken)
    {
        var json = kind.SerializeSpec(spec);
        if (current is not null && SameSpec(current.Spec, json))
        {
            return new ResourceWrite(ResourceChange.Unchanged, current.Version);
        }
        var version = await StageAsync(kind.Name, name, current, v => kind.Provisioned(name, spec, v), json, actor, cancellationToken);
        return new ResourceWrite(current is null ? ResourceChange.Created : ResourceChange.Changed, version);
    }

    /// <exception cref="ResourceProtectedException">The kind refuses to delete the resource as it stands.</exception>
    public async Task<ResourceWrite> StageDeleteAsync(ResourceKind kind, ResourceRow current, string actor, CancellationToken cancellationToken)
    {
        if (kind.DeletionRefusal(current.Name, current.Spec) is { } refusal)
        {
            throw new ResourceProtectedException(refusal);
        }
        var version = await StageAsync(kind.Name, current.Name, current, v => kind.Deleted(current.Name, v), null, actor, cancellationToken);
        return new ResourceWrite(ResourceChange.Deleted, version);
    }

    /// <summary>
    /// Stages one event on the resource's stream (built for the version it will have) and the matching
    /// read model change: <paramref name="specJson"/> is the new spec, or null to remove the row.
    /// </summary>
    public async Task<long> StageAsync(
        string kind, string name, ResourceRow? current, Func<long, object> eventAt, string? specJson, string actor, CancellationToken cancellationToken)
    {
        var streamId = StreamId(kind, name);
        // A deleted resource has no row but its stream goes on: a re-created one continues its history.
        var expected = current?.Version ?? await events.GetVersionAsync(streamId, cancellationToken);
        var version = await events.AppendAsync(streamId, expected, [eventAt(expected + 1)], new EventMetadata(actor), cancellationToken);

        var now = clock.GetUtcNow();
        if (specJson is null)
        {
            if (current is not null)
            {
                db.Resources.Remove(current);
            }
        }
        else if (current is null)
        {
            db.Resources.Add(new ResourceRow
            {
                Kind = kind, Name = name, Version = version, Spec = specJson,
                CreatedAt = now, CreatedBy = actor, UpdatedAt = now, UpdatedBy = actor,
            });
        }
        else
        {
            current.Version = version;
            current.Spec = specJson;
            current.UpdatedAt = now;
            current.UpdatedBy = actor;
        }
        return version;
    }

    /// <summary>
    /// Commits everything staged. Another writer having got there first (a stream version or a row taken)
    /// is a <see cref="StreamConcurrencyException"/>, whichever table noticed it.
    /// </summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new StreamConcurrencyException("resources", expectedVersion: 0, actualVersion: null, ex);
        }
    }

    /// <summary>Forgets what was staged, to retry from fresh reads.</summary>
    public void Reset() => db.ChangeTracker.Clear();

    /// <summary>Specs compare as JSON values: jsonb reorders keys, which changes nothing.</summary>
    public static bool SameSpec(string left, string right) => JsonNode.DeepEquals(JsonNode.Parse(left), JsonNode.Parse(right));
}
