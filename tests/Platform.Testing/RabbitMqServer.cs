using MassTransit;
using Platform.Contracts;

namespace Platform.Testing;

/// <summary>The test broker. Tests isolate themselves with a unique entity prefix, not a server each.</summary>
public static class RabbitMqServer
{
    public static string ConnectionString => TestServers.RabbitMq;

    public static string NewEntityPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// A bus of the test's own on the test broker, with the services' entity prefix and JSON: what it publishes reaches
    /// service hosts of <paramref name="prefix"/>; <paramref name="configure"/> adds its receive endpoints.
    /// </summary>
    public static IBusControl CreateBus(string prefix, Action<IRabbitMqBusFactoryConfigurator>? configure = null) =>
        Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(ConnectionString));
            rabbit.MessageTopology.SetEntityNameFormatter(new PrefixEntityNameFormatter(rabbit.MessageTopology.EntityNameFormatter, prefix + "."));
            rabbit.ConfigureJsonSerializerOptions(options =>
            {
                PlatformJson.Configure(options);
                return options;
            });
            configure?.Invoke(rabbit);
        });
}
