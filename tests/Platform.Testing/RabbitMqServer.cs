using MassTransit;
using Platform.Contracts;

namespace Platform.Testing;

/// <summary>The test broker. Tests isolate themselves with a unique entity prefix, not a server each.</summary>
public static class RabbitMqServer
{
    public static string ConnectionString => TestServers.RabbitMq;

    public static string NewEntityPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// A bus of the test's own on the test broker, seeing the services that share <paramref name="prefix"/> and speaking
    /// the platform's JSON; <paramref name="configure"/> adds its receive endpoints. Not started.
    /// </summary>
    public static IBusControl CreateBus(string prefix, Action<IRabbitMqBusFactoryConfigurator> configure) =>
        Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(ConnectionString));
            rabbit.MessageTopology.SetEntityNameFormatter(new PrefixEntityNameFormatter(rabbit.MessageTopology.EntityNameFormatter, prefix + "."));
            rabbit.ConfigureJsonSerializerOptions(options =>
            {
                PlatformJson.Configure(options);
                return options;
            });
            configure(rabbit);
        });
}
