namespace Platform.EventSourcing.Tests;

public sealed class Migrating_a_service_database : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _postgres.DisposeAsync();

    [Fact]
    public async Task Creates_the_database_when_the_server_lacks_it_and_applies_every_script_before_the_host_has_started()
    {
        var connectionString = _postgres.NewDatabaseConnectionString("migrate");
        using var host = TestStore.Build(connectionString, RabbitMqServer.NewEntityPrefix(), relay: false, consumer: false);

        await host.StartAsync();

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM schema_migrations ORDER BY id", connection);
        var applied = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                applied.Add(reader.GetString(0));
            }
        }
        Assert.Equal(["eventstore/0001_event_store", TestStore.EffectsTable.Id], applied);
        await host.StopAsync();
    }

    [Fact]
    public async Task The_service_connections_run_without_jit_and_keep_the_options_the_connection_string_gives()
    {
        var connectionString = await _postgres.CreateDatabaseAsync("options");
        using var host = TestStore.Build(
            $"{connectionString};Options=-c statement_timeout=12345", RabbitMqServer.NewEntityPrefix(), relay: false, consumer: false);

        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
        await using var command = dataSource.CreateCommand("SELECT current_setting('jit'), current_setting('statement_timeout')");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("off", reader.GetString(0));
        Assert.Equal("12345ms", reader.GetString(1));
    }

    [Fact]
    public async Task Instances_migrating_at_once_apply_each_script_exactly_once()
    {
        var connectionString = await _postgres.CreateDatabaseAsync("concurrent");
        var hosts = Enumerable.Range(0, 3)
            .Select(_ => TestStore.Build(connectionString, RabbitMqServer.NewEntityPrefix(), relay: false, consumer: false))
            .ToList();

        var migrations = await Task.WhenAll(hosts.Select(h => h.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(default)));

        Assert.Equal(2, migrations.Sum(applied => applied.Count));
        Assert.Single(migrations, applied => applied.Count == 2);
        foreach (var host in hosts)
        {
            host.Dispose();
        }
    }
}
