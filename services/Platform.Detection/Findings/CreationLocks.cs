namespace Platform.Detection.Findings;

/// <summary>
/// Locks the rows a batch changes, including those it may create (findings, Insights' keys). A row lock cannot be
/// taken on a row that does not exist yet, so two batches creating the same row would both insert it and the later one
/// fail on the unique key and be retried whole: a key without a row is locked with a transaction-scoped advisory lock
/// and read again, so of two batches creating it the later waits and reads the row the first committed.
/// </summary>
public static class CreationLocks
{
    /// <summary>
    /// The rows of <paramref name="keys"/>, locked until the transaction ends: <paramref name="lockRows"/> reads and locks
    /// the rows of the keys it is given (<c>SELECT … ORDER BY key FOR UPDATE</c>). The common case, every row existing, is
    /// one round trip; the keys without a row take their advisory locks in one order (their hashes) and are read again.
    /// </summary>
    public static async Task<List<TRow>> LockRowsAsync<TKey, TRow>(
        DbContext db,
        string scope,
        IReadOnlyCollection<TKey> keys,
        Func<TKey[], IQueryable<TRow>> lockRows,
        Func<TRow, TKey> keyOf,
        CancellationToken cancellationToken)
        where TKey : notnull
    {
        var rows = await lockRows([.. keys]).ToListAsync(cancellationToken);
        var found = rows.Select(keyOf).ToHashSet();
        TKey[] missing = [.. keys.Where(k => !found.Contains(k))];
        if (missing.Length == 0)
        {
            return rows;
        }

        string[] locks = [.. missing.Select(k => $"{scope}\u001f{k}")];
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            SELECT count(pg_advisory_xact_lock(h))
            FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest({locks}::text[]) AS u(k) ORDER BY h) AS locks
            """,
            cancellationToken);
        rows.AddRange(await lockRows(missing).ToListAsync(cancellationToken));
        return rows;
    }
}
