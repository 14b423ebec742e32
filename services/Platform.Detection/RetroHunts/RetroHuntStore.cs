namespace Platform.Detection.RetroHunts;

/// <summary>
/// The hunts' rows. Progress changes are single conditional UPDATEs on the hunt's row (only while it runs), so a
/// cancelled or ended hunt takes no more batches and concurrent batches add up; each batch's runs in the transaction
/// that records the batch's inbox row and findings.
/// </summary>
public sealed class RetroHuntStore(DetectionDbContext db)
{
    private const string Running = nameof(RetroHuntStatus.Running);

    public Task<RetroHuntRecord?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.RetroHunts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == id, cancellationToken);

    public async Task AddAsync(RetroHuntRecord hunt, CancellationToken cancellationToken)
    {
        db.RetroHunts.Add(hunt);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Adds a batch's events and new findings; completes the hunt when it was the last. Null when the hunt is not running.</summary>
    public Task<RetroHuntRecord?> RecordBatchAsync(Guid id, long events, long findings, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAsync(db.RetroHunts.FromSql(
            $"""
            UPDATE retro_hunts SET scanned = scanned + {events}, findings = findings + {findings},
                status = CASE WHEN streamed AND scanned + {events} >= total THEN 'Completed' ELSE status END,
                ended_at = CASE WHEN streamed AND scanned + {events} >= total THEN {now} ELSE ended_at END
            WHERE id = {id} AND status = {Running} RETURNING *
            """), cancellationToken);

    /// <summary>Ingestion's count at the start (unless its final count is in already).</summary>
    public Task<RetroHuntRecord?> RecordCountAsync(Guid id, long total, CancellationToken cancellationToken) =>
        UpdateAsync(db.RetroHunts.FromSql(
            $"UPDATE retro_hunts SET total = {total} WHERE id = {id} AND status = {Running} AND NOT streamed RETURNING *"), cancellationToken);

    /// <summary>Every event was streamed: the total is final, and the hunt completes once it has scanned them all.</summary>
    public Task<RetroHuntRecord?> RecordStreamedAsync(Guid id, long total, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAsync(db.RetroHunts.FromSql(
            $"""
            UPDATE retro_hunts SET total = {total}, streamed = true,
                status = CASE WHEN scanned >= {total} THEN 'Completed' ELSE status END,
                ended_at = CASE WHEN scanned >= {total} THEN {now} ELSE ended_at END
            WHERE id = {id} AND status = {Running} RETURNING *
            """), cancellationToken);

    /// <summary>Ends a running hunt as <paramref name="status"/> (cancelled, failed); null when it was not running.</summary>
    public Task<RetroHuntRecord?> EndAsync(Guid id, RetroHuntStatus status, string? failure, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var value = status.ToString();
        return UpdateAsync(db.RetroHunts.FromSql(
            $"UPDATE retro_hunts SET status = {value}, failure = {failure}, ended_at = {now} WHERE id = {id} AND status = {Running} RETURNING *"),
            cancellationToken);
    }

    /// <summary>An ended hunt's correlation windows and their evidence are of no more use.</summary>
    public async Task RemoveWindowsAsync(Guid id, CancellationToken cancellationToken)
    {
        var prefix = RetroHuntRules.WindowPrefixOf(id) + "%";
        await db.Database.ExecuteSqlAsync($"DELETE FROM retro_hunt_observations WHERE correlation_key LIKE {prefix}", cancellationToken);
        await db.Database.ExecuteSqlAsync($"DELETE FROM retro_hunt_evidence WHERE hunt_id = {id}", cancellationToken);
    }

    private static async Task<RetroHuntRecord?> UpdateAsync(IQueryable<RetroHuntRecord> update, CancellationToken cancellationToken) =>
        (await update.AsNoTracking().ToListAsync(cancellationToken)).SingleOrDefault();
}
