using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.Contracts;

namespace Platform.Messaging;

public static class PlatformBus
{
    /// <summary>The connection string name of the broker, an AMQP URI.</summary>
    public const string ConnectionName = "rabbitmq";

    /// <summary>
    /// Optional prefix for every exchange and queue, so several environments (or test runs) can share
    /// one broker without seeing each other's messages.
    /// </summary>
    public const string EntityPrefixSetting = "Platform:Bus:EntityPrefix";

    public static TBuilder AddPlatformBus<TBuilder>(this TBuilder builder, Action<IBusRegistrationConfigurator>? configure)
        where TBuilder : IHostApplicationBuilder
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionName} is not set: give the broker's AMQP URI (the AppHost sets it).");

        var prefix = builder.Configuration[EntityPrefixSetting];
        // Queues are named by service and consumer: a service's instances compete on its queue, two services never do.
        // Named by consumer alone, detection's and the archiver's LogEventsIngestedConsumer shared one queue, so each
        // ingested batch reached only one of the two.
        var service = ServiceNameOf(builder.Environment.ApplicationName);
        // Live configuration: what each instance has applied, and the catch-up request to provisioning.
        builder.Services.TryAddSingleton<ProvisionedResourceVersions>();
        // Consumers wait at start until the live configuration has caught up (bounded by the setting).
        var wait = builder.Configuration.GetValue(LiveConfigurationGate.WaitSetting, TimeSpan.FromMinutes(1));
        builder.Services.TryAddSingleton(services => ActivatorUtilities.CreateInstance<LiveConfigurationGate>(services, wait));
        // Consumer lag: the depth of the service's queues on its own meter.
        builder.Services.AddSingleton(services => ActivatorUtilities.CreateInstance<QueueDepths>(services, connectionString, builder.Environment.ApplicationName));
        builder.Services.AddHostedService(services => services.GetRequiredService<QueueDepths>());
        builder.Services.AddReceiveEndpointObserver(services => services.GetRequiredService<QueueDepths>());
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(prefix + service, includeNamespace: false));
            // MassTransit reports how it is used to its makers (usage-tracking.masstransit.io) unless told not to: a
            // security product sends nothing about its deployment to a third party.
            bus.ConfigureUsageTelemetryOptions(options => options.Enabled = false);
            bus.AddRequestClient<GetProvisionedResources>();
            configure?.Invoke(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(new Uri(connectionString));
                if (!string.IsNullOrEmpty(prefix))
                {
                    rabbit.MessageTopology.SetEntityNameFormatter(
                        new PrefixEntityNameFormatter(rabbit.MessageTopology.EntityNameFormatter, prefix + "."));
                }
                rabbit.ConfigureJsonSerializerOptions(options =>
                {
                    PlatformJson.Configure(options);
                    return options;
                });
                rabbit.AddDeserializer(new PlatformJsonDeserializer(), isDefault: true);
                rabbit.UseFilter(new LiveConfigurationGateFilter(context.GetRequiredService<LiveConfigurationGate>()));
                // The database away for a moment (a restart, a failover) fails every consumer that uses it: the message is
                // tried again in place, backing off to 10 s (about a minute in all), rather than moved to its error queue.
                rabbit.UseMessageRetry(retry =>
                {
                    retry.Handle<Exception>(TransientFailures.IsTransient);
                    retry.Exponential(10, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500));
                });
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }

    /// <summary>The service's name in its queues' names: <c>Platform.Detection</c> gives <c>Detection</c> (kebab-cased with the consumer).</summary>
    private static string ServiceNameOf(string applicationName) => applicationName[(applicationName.LastIndexOf('.') + 1)..];
}
