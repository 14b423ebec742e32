using Microsoft.Extensions.DependencyInjection;

namespace Platform.Detection.Tests;

/// <summary>
/// A detection service of one test's own, started and ready on a database of its own, with the messages it consumed
/// and a test bus on its entity prefix; disposing it stops the bus, the service and the database, in that order.
/// </summary>
internal sealed class OwnDetection : IAsyncDisposable
{
    private readonly PostgresServer _postgres = new();

    private OwnDetection(string database) => ConnectionString = _postgres.NewDatabaseConnectionString(database);

    /// <summary>The connection string of the test's database (without the service's extra options).</summary>
    public string ConnectionString { get; }

    public ConsumedMessages Consumed { get; } = new();

    public ServiceHost<DetectionDbContext> Host { get; private set; } = null!;

    public TestBus Bus { get; private set; } = null!;

    /// <param name="database">What the database is named after.</param>
    /// <param name="connectionOptions">Appended to the service's connection string (e.g. <c>;Command Timeout=0</c>).</param>
    /// <param name="configureServices">Services to add to the service's own.</param>
    public static async Task<OwnDetection> StartAsync(
        string database, string connectionOptions = "", Action<IServiceCollection>? configureServices = null)
    {
        var own = new OwnDetection(database);
        var prefix = RabbitMqServer.NewEntityPrefix();
        own.Host = DetectionHost.Start(own.ConnectionString + connectionOptions, prefix, own.Consumed, configureServices: configureServices);
        await own.Host.WaitUntilReadyAsync();
        own.Bus = await TestBus.StartAsync(prefix);
        return own;
    }

    public async ValueTask DisposeAsync()
    {
        if (Bus is not null)
        {
            await Bus.DisposeAsync();
        }
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
        await _postgres.DisposeAsync();
    }
}
