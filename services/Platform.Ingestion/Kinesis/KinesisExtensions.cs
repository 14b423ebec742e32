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
        builder.Services.AddLiveConfiguration<KinesisSourceRegistry, SourceSpec>(ProvisioningKinds.Sources);
        builder.Services.AddSingleton<KinesisConsumerServices>();
        builder.Services.AddSingleton<ShardLeaseCoordinatorFactory>();
        builder.Services.AddHostedService<KinesisSourceWorker>();
        return builder;
    }

    /// <summary>Source changes, live on every instance: each adjusts what it consumes.</summary>
    public static IBusRegistrationConfigurator AddKinesisSourceEvents(this IBusRegistrationConfigurator bus) =>
        bus.AddLiveConfigurationConsumer<KinesisSourceRegistry, SourceSpec, SourceProvisioned, SourceDeleted>();
}
