namespace Platform.Ingestion.Storage;

/// <summary>
/// The daily partitions of <c>log_events</c> (UTC days of ingestion), created on demand a day ahead and
/// dropped by the retention job.
/// </summary>
public sealed class LogPartitions(NpgsqlDataSource dataSource)
{
    public const string Prefix = "log_events_p";

    private readonly ConcurrentDictionary<DateOnly, bool> _known = new();

    public static string NameOf(DateOnly day) => Prefix + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static bool TryParseName(string name, out DateOnly day)
    {
        day = default;
        return name.StartsWith(Prefix, StringComparison.Ordinal)
               && DateOnly.TryParseExact(name[Prefix.Length..], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }

    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    /// <summary>Makes sure the partition for <paramref name="at"/>'s day, and the next day's, exist.</summary>
    public async Task EnsureAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var day = DayOf(at);
        if (_known.ContainsKey(day) && _known.ContainsKey(day.AddDays(1)))
        {
            return;
        }
        await CreateAsync(day, cancellationToken);
        await CreateAsync(day.AddDays(1), cancellationToken);
    }

    public async Task<IReadOnlyList<DateOnly>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'log_events'::regclass");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var days = new List<DateOnly>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (TryParseName(reader.GetString(0), out var day))
            {
                days.Add(day);
            }
        }
        days.Sort();
        return days;
    }

    public async Task DropAsync(DateOnly day, CancellationToken cancellationToken)
    {
        _known.TryRemove(day, out _);
        // The name comes from a date, never from input; DDL takes no parameters.
        await using var command = dataSource.CreateCommand($"DROP TABLE IF EXISTS {NameOf(day)}");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task CreateAsync(DateOnly day, CancellationToken cancellationToken)
    {
        if (_known.ContainsKey(day))
        {
            return;
        }
        var from = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = day.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var command = dataSource.CreateCommand(
            $"CREATE TABLE IF NOT EXISTS {NameOf(day)} PARTITION OF log_events FOR VALUES FROM ('{from} 00:00:00+00') TO ('{to} 00:00:00+00')");
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.UniqueViolation)
        {
            // Another instance created it at the same moment.
        }
        _known[day] = true;
    }
}
