namespace Platform.Database;

/// <summary>
/// Elects one instance for a piece of periodic work (a pass over every alarm, the due rule runs): a session advisory
/// lock taken without waiting, so the others skip that pass instead of repeating it, and released when the work ends
/// (or, if the instance dies, when its connection closes).
/// </summary>
public static class AdvisoryLock
{
    /// <summary>Runs <paramref name="work"/> holding the lock <paramref name="key"/>; false (nothing run) when another session holds it.</summary>
    public static async Task<bool> TryRunAsync(NpgsqlDataSource dataSource, long key, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({key})", connection))
        {
            if (!(bool)(await take.ExecuteScalarAsync(cancellationToken))!)
            {
                return false;
            }
        }
        try
        {
            await work(cancellationToken);
            return true;
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({key})", connection);
            await release.ExecuteScalarAsync(CancellationToken.None);
        }
    }
}
