namespace Platform.EventSourcing.Tests;

/// <summary>
/// A test class whose every test gets a started store of its own (no relay, no consumer) on a fresh database:
/// for tests of what the store itself writes and reads.
/// </summary>
public abstract class StoreOnlyTests(string purpose) : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();

    protected IHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = TestStore.Build(await _postgres.CreateDatabaseAsync(purpose), RabbitMqServer.NewEntityPrefix(), relay: false, consumer: false);
        await Host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
        await _postgres.DisposeAsync();
    }
}
