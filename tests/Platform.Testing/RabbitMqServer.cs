using MassTransit;
using Platform.Contracts;

namespace Platform.Testing;

/// <summary>The test broker. Tests isolate themselves with a unique entity prefix, not a server each.</summary>
public static class RabbitMqServer
{
    public static string ConnectionString => TestServers.RabbitMq;

    public static string NewEntityPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// A bus of the caller's own on the test broker, with the services' entity prefix and JSON settings, so it publishes
    /// what a service would and its one endpoint <paramref name="queue"/> (gone when the bus stops) receives what they publish.
    /// </summary>
    public static IBusControl CreateBus(string prefix, string queue, Action<IRabbitMqReceiveEndpointConfigurator> receive) =>
        Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(ConnectionString));
            rabbit.MessageTopology.SetEntityNameFormatter(new PrefixEntityNameFormatter(rabbit.MessageTopology.EntityNameFormatter, prefix + "."));
            rabbit.ConfigureJsonSerializerOptions(options =>
            {
                PlatformJson.Configure(options);
                return options;
            });
            rabbit.ReceiveEndpoint(queue, endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                receive(endpoint);
            });
        });

    /// <summary>Hands each <typeparamref name="T"/> the endpoint receives to <paramref name="received"/>.</summary>
    public static void OnEach<T>(this IReceiveEndpointConfigurator endpoint, Action<T> received) where T : class =>
        endpoint.Handler<T>(context =>
        {
            received(context.Message);
            return Task.CompletedTask;
        });
}
