using Platform.Messaging;

namespace Platform.Ingestion.Kinesis;

public static class KinesisExtensions
{
    /// <summary>
    /// Kinesis consumption: sources from configuration and provisioning, leases in the service database, a
    /// <see cref="KinesisSourceWorker"/> per instance. Needs an <c>ILogIngestor</c> registered.
    /// </summary>
    public static IHostApplicationBuilder AddKinesisIngestion(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformOptions<KinesisOptions>(KinesisOptions.Section)
            .PostConfigure(options =>
                options.InstanceId ??= $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");

        builder.Services.AddKinesisClient();
        builder.Services.AddSingleton<KinesisMetrics>();
        builder.Services.AddSingleton<ShardLeaseStore>();
        builder.Services.AddSingleton<KinesisSourceStore>();
        builder.Services.AddSingleton<KinesisSourceRegistry>();
        builder.Services.AddSingleton<ShardLeaseCoordinatorFactory>();
        builder.Services.AddHostedService<KinesisSourceWorker>();
        builder.Services.AddProvisionedResourceCatchUp(ProvisioningKinds.Sources, ApplyProvisionedSourcesAsync);
        return builder;
    }

    /// <summary>Source events on a temporary queue per instance: every instance adjusts what it consumes.</summary>
    public static IBusRegistrationConfigurator AddKinesisSourceEvents(this IBusRegistrationConfigurator bus)
    {
        bus.AddInstanceConsumer<KinesisSourceEventsConsumer>();
        return bus;
    }

    private static async Task ApplyProvisionedSourcesAsync(ProvisionedResources resources, IServiceProvider services, CancellationToken cancellationToken)
    {
        var registry = services.GetRequiredService<KinesisSourceRegistry>();
        foreach (var resource in resources.Resources)
        {
            var spec = resource.SpecAs<SourceSpec>();
            await registry.ApplyAsync(new ProvisionedSourceState(resource.Name, spec, resource.Version), cancellationToken);
        }
    }
}
