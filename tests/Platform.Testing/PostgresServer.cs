using Npgsql;

namespace Platform.Testing;

/// <summary>The test Postgres server: each test class gets databases of its own, dropped afterwards.</summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly List<string> _created = [];

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string purpose = "test")
    {
        var name = UniqueName(purpose);
        await using var connection = new NpgsqlConnection(TestServers.Postgres);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection))
        {
            await create.ExecuteNonQueryAsync();
        }
        lock (_created)
        {
            _created.Add(name);
        }
        return new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Database = name }.ConnectionString;
    }

    /// <summary>A connection string for a database that does not exist yet (the service creates it).</summary>
    public string NewDatabaseConnectionString(string purpose = "svc")
    {
        var name = UniqueName(purpose);
        lock (_created)
        {
            _created.Add(name);
        }
        return new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Database = name }.ConnectionString;
    }

    private static string UniqueName(string purpose) =>
        $"t_{new string(purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(16).ToArray())}_{Guid.NewGuid():N}";

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(TestServers.Postgres);
        await connection.OpenAsync();
        foreach (var name in _created)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
