namespace Platform.Detection.Findings;

/// <summary>
/// Locks the rows a batch changes, including those it may create (findings, Insights' keys). A row lock cannot be
/// taken on a row that does not exist yet, so two batches creating the same row would both insert it and the later one
/// fail on the unique key and be retried whole: every key also takes a transaction-scoped advisory lock, so of two
/// batches creating a row the later waits and reads the row the first committed. The advisory locks come first, all of
/// them, then the rows (migration <c>0005_creation_locks</c>): locking the existing rows first and the created ones after
/// let two batches wait on each other's rows in opposite orders (deadlocks, each a batch retried, when a burst of
/// batches created the same keys at once).
/// </summary>
public static class CreationLocks
{
    /// <summary>
    /// The rows of <paramref name="keys"/> that exist, locked until the transaction ends, in one round trip:
    /// <paramref name="lockRows"/> calls the table's lock function with the keys and their lock names
    /// (<c>lock_findings</c>, <c>lock_insight_keys</c>). The keys without a row are the caller's to create: their
    /// advisory locks are held.
    /// </summary>
    public static Task<List<TRow>> LockRowsAsync<TKey, TRow>(
        string scope,
        IReadOnlyCollection<TKey> keys,
        Func<TKey[], string[], IQueryable<TRow>> lockRows,
        CancellationToken cancellationToken)
        where TKey : notnull
    {
        TKey[] ordered = [.. keys];
        string[] names = [.. ordered.Select(k => $"{scope}\u001f{k}")];
        return lockRows(ordered, names).ToListAsync(cancellationToken);
    }
}
