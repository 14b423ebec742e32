namespace Platform.EventSourcing.Storage;

/// <summary>
/// The base of every service's DbContext: the event store's tables live beside the service's own
/// read models, so appending events, updating projections and recording the inbox commit together.
/// </summary>
public abstract class EventStoreDbContext(DbContextOptions options) : DbContext(options)
{
    internal const string StreamVersionConstraint = "es_events_stream_version";

    public DbSet<StoredEvent> Events => Set<StoredEvent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<StoredEvent>(e =>
        {
            e.ToTable("es_events");
            e.HasKey(x => x.GlobalPosition);
            e.Property(x => x.GlobalPosition).UseIdentityAlwaysColumn();
            e.Property(x => x.Data).HasColumnType("jsonb");
            e.Property(x => x.Metadata).HasColumnType("jsonb");
            e.HasIndex(x => new { x.StreamId, x.StreamVersion }).IsUnique().HasDatabaseName(StreamVersionConstraint);
        });
        base.OnModelCreating(modelBuilder);
    }

    /// <summary>Turns the store's unique (stream, version) violation into the typed concurrency error.</summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg
                                           && pg.ConstraintName == StreamVersionConstraint)
        {
            var conflicting = ex.Entries.Select(x => x.Entity).OfType<StoredEvent>().FirstOrDefault();
            throw new StreamConcurrencyException(
                conflicting?.StreamId ?? "(unknown)", (conflicting?.StreamVersion ?? 1) - 1, actualVersion: null, ex);
        }
    }

    /// <summary>
    /// Records that <paramref name="consumer"/> handles <paramref name="messageId"/>. False when it already has:
    /// the caller skips the message. Call inside the transaction that holds the consumer's effects, so the
    /// record and the effects commit (or roll back) together.
    /// </summary>
    public async Task<bool> TryRecordInboxAsync(Guid messageId, string consumer, DateTimeOffset at, CancellationToken cancellationToken) =>
        (await TryRecordInboxAsync([messageId], consumer, at, cancellationToken)).Count == 1;

    /// <summary>
    /// Records that <paramref name="consumer"/> handles <paramref name="messageIds"/> (one statement): returns those it
    /// had not handled before, for a caller that commits several messages' effects at once. The rows are inserted in id
    /// order: two transactions recording some of the same ids (a redelivery beside its first delivery) wait for each
    /// other instead of deadlocking.
    /// </summary>
    public async Task<IReadOnlySet<Guid>> TryRecordInboxAsync(IReadOnlyCollection<Guid> messageIds, string consumer, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var ids = messageIds.Distinct().ToArray();
        var recorded = await Database
            .SqlQuery<Guid>($"INSERT INTO es_inbox (message_id, consumer, processed_at) SELECT id, {consumer}, {at} FROM unnest({ids}) AS m (id) ORDER BY id ON CONFLICT DO NOTHING RETURNING message_id AS \"Value\"")
            .ToListAsync(cancellationToken);
        return recorded.ToHashSet();
    }
}
