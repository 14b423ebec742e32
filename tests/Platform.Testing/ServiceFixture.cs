using MassTransit;

namespace Platform.Testing;

/// <summary>
/// What every fixture of a service under test shares: the service on the real Postgres (a database of its own) and
/// RabbitMQ (an entity prefix of its own), and a bus of the test's own on that prefix that publishes what other
/// services would and hears what <see cref="Hear"/> asks for; and their teardown. A fixture says how its service starts.
/// </summary>
/// <typeparam name="TEntryPoint">Any type of the service's assembly, e.g. its DbContext.</typeparam>
public abstract class ServiceFixture<TEntryPoint> : IAsyncLifetime where TEntryPoint : class
{
    private readonly PostgresServer _postgres = new();
    private IBusControl? _bus;

    public string Prefix { get; } = RabbitMqServer.NewEntityPrefix();

    /// <summary>The service's database: a second instance on it shares the first one's state.</summary>
    public string ConnectionString { get; private set; } = null!;

    public ServiceHost<TEntryPoint> Host { get; protected set; } = null!;

    /// <summary>Names the database and the test bus's queue.</summary>
    protected abstract string Purpose { get; }

    /// <summary>An instance of the service on <see cref="ConnectionString"/> and <see cref="Prefix"/>, not yet started.</summary>
    public abstract ServiceHost<TEntryPoint> StartHost();

    /// <summary>What the test's bus hears of what the services publish; nothing by default.</summary>
    protected virtual void Hear(IRabbitMqReceiveEndpointConfigurator endpoint)
    {
    }

    /// <summary>Starts what the service needs before it starts itself (a local listener); nothing by default.</summary>
    protected virtual Task StartDependenciesAsync() => Task.CompletedTask;

    /// <summary>Readies a started instance: it answers and its bus is connected (fixtures add keys).</summary>
    public virtual Task WaitUntilReadyAsync(ServiceHost<TEntryPoint> host) => host.WaitUntilReadyAsync();

    public async Task InitializeAsync()
    {
        await StartDependenciesAsync();
        ConnectionString = _postgres.NewDatabaseConnectionString(Purpose);
        _bus = RabbitMqServer.CreateBus(Prefix, $"{Prefix}-test-{Purpose}-{Guid.NewGuid():N}", Hear);
        await _bus.StartAsync();
        Host = StartHost();
        await WaitUntilReadyAsync(Host);
    }

    /// <summary>Stops the instance and starts another on the same database and broker, as a restart does.</summary>
    public async Task RestartAsync()
    {
        await Host.DisposeAsync();
        Host = StartHost();
        await WaitUntilReadyAsync(Host);
    }

    /// <summary>Publishes <paramref name="message"/> as another service would (with <paramref name="messageId"/>, to redeliver one).</summary>
    public Task PublishAsync<T>(T message, Guid? messageId = null) where T : class =>
        _bus!.Publish(message, context => context.MessageId = messageId ?? NewId.NextGuid());

    /// <summary>Stops what the service needed (see <see cref="StartDependenciesAsync"/>); nothing by default.</summary>
    protected virtual ValueTask StopDependenciesAsync() => ValueTask.CompletedTask;

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_bus is not null)
        {
            await _bus.StopAsync();
        }
        await StopDependenciesAsync();
        await _postgres.DisposeAsync();
    }
}
