using System.Text.RegularExpressions;

namespace Platform.Database;

/// <summary>
/// Brings a service database up to date: creates it if the server lacks it, then applies each script
/// not yet applied, all in one transaction under an advisory lock so several instances starting at
/// once apply each script exactly once.
/// </summary>
public sealed partial class SchemaMigrator(NpgsqlDataSource dataSource, DatabaseOptions options, ILogger<SchemaMigrator> logger)
{
    private const long MigrationLockKey = 0x5043_4D49_4752_4154; // "PCMIGRAT"

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        await EnsureDatabaseExistsAsync(cancellationToken);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", cancellationToken);
        await ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
            cancellationToken);

        var applied = new HashSet<string>(StringComparer.Ordinal);
        await using (var select = new NpgsqlCommand("SELECT id FROM schema_migrations", connection, transaction))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetString(0));
            }
        }

        var newlyApplied = new List<string>();
        foreach (var script in options.Migrations.Where(s => !applied.Contains(s.Id)))
        {
            await ExecuteAsync(connection, transaction, script.Sql, cancellationToken);
            await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (id) VALUES ($1)", connection, transaction)
            {
                Parameters = { new NpgsqlParameter { Value = script.Id } },
            };
            await record.ExecuteNonQueryAsync(cancellationToken);
            newlyApplied.Add(script.Id);
            LogApplied(script.Id);
        }
        await transaction.CommitAsync(cancellationToken);
        return newlyApplied;
    }

    /// <summary>
    /// Local and external servers do not create service databases for us (Aspire's containers do).
    /// Needs the right to connect to the maintenance database; where that is refused the database must exist.
    /// </summary>
    private async Task EnsureDatabaseExistsAsync(CancellationToken cancellationToken)
    {
        // The data source hides the password; the maintenance connection needs it.
        var target = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        var database = target.Database ?? throw new InvalidOperationException("The service connection string names no Database.");
        if (!DatabaseName().IsMatch(database))
        {
            throw new InvalidOperationException($"Database name '{database}' must be letters, digits, '_' or '-'.");
        }

        var maintenance = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = "postgres", Pooling = false };
        try
        {
            await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
            {
                Parameters = { new NpgsqlParameter { Value = database } },
            };
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                // The name was checked against a strict pattern above; CREATE DATABASE takes no parameters.
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
                try
                {
                    await create.ExecuteNonQueryAsync(cancellationToken);
                    LogCreated(database);
                }
                catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
                {
                    // Another instance created it first.
                }
            }
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.InvalidCatalogName)
        {
            LogCannotCheck(database, ex.MessageText);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,63}$")]
    private static partial Regex DatabaseName();

    [LoggerMessage(LogLevel.Information, "Applied migration {MigrationId}")]
    private partial void LogApplied(string migrationId);

    [LoggerMessage(LogLevel.Information, "Created database {Database}")]
    private partial void LogCreated(string database);

    [LoggerMessage(LogLevel.Warning, "Could not check that database {Database} exists ({Reason}); assuming it does")]
    private partial void LogCannotCheck(string database, string reason);
}
