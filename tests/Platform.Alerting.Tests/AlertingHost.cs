using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Platform.Alerting.Metrics;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Platform.Alerting.Tests;

/// <summary>One alerting service on the real Postgres and RabbitMQ, shared by the tests of a collection, with a key per role.</summary>
public sealed class AlertingHost : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();

    public ServiceHost<AlertingDbContext> Host { get; private set; } = null!;

    /// <summary>The messages the service finished consuming, by message id.</summary>
    public ConsumedMessages Consumed { get; } = new();

    /// <summary>What the service told its metric data listeners.</summary>
    public RecordingMetricDataListener MetricData { get; } = new();

    /// <summary>Publishes through the service's own bus, so the message travels the real broker to its queues.</summary>
    public Task PublishAsync<T>(T message, Guid messageId) where T : class =>
        Host.Services.GetRequiredService<IBus>().Publish(message, context => context.MessageId = messageId);

    /// <summary>A client whose key holds <paramref name="role"/> (analyst or ingest; the host's admin key is its own).</summary>
    public HttpClient ClientFor(string role) => Host.CreateClient(KeyFor(role));

    private static string KeyFor(string role) => $"test-{role}-key-0123456789";

    public async Task InitializeAsync()
    {
        Host = new ServiceHost<AlertingDbContext>(
            PlatformResources.AlertingDb, _postgres.NewDatabaseConnectionString("alerting"), RabbitMqServer.NewEntityPrefix(),
            configureServices: services =>
            {
                services.AddSingleton(Consumed);
                services.AddConsumeObserver(sp => sp.GetRequiredService<ConsumedMessages>());
                services.AddSingleton<IMetricDataListener>(MetricData);
            });
        await Host.WaitUntilHealthyAsync();
        var bus = Host.Services.GetRequiredService<IBusControl>();
        Assert.Equal(BusHealthStatus.Healthy, await Eventually.ObserveAsync(
            () => Task.FromResult(bus.CheckHealth().Status), status => status == BusHealthStatus.Healthy));
        var registry = Host.Services.GetRequiredService<ApiKeyRegistry>();
        foreach (var role in new[] { PlatformRoles.Analyst, PlatformRoles.Ingest })
        {
            registry.Upsert(new ApiKeyIdentity(role, role, ApiKeyRegistry.Hash(KeyFor(role))));
        }
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AlertingCollection : ICollectionFixture<AlertingHost>
{
    public const string Name = "alerting";
}
