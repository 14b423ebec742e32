using Platform.Archiver.Api;
using Platform.Archiver.Buffering;
using Platform.Archiver.Integrity;

namespace Platform.Archiver.Extensions;

public static class Extensions
{
    /// <summary>The archiver's consumers: ingested batches (competing) and log groups' KMS keys (live configuration, kept in its database).</summary>
    public static void AddArchiverConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<LogEventsIngestedConsumer, LogEventsIngestedConsumerDefinition>();
        bus.AddLiveConfigurationConsumer<LogGroupKeys, LogGroupSpec, LogGroupProvisioned, LogGroupDeleted>();
    }

    public static IHostApplicationBuilder AddArchiverServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformOptions<ArchiverOptions>(ArchiverOptions.Section);
        builder.Services.AddSingleton<ArchiverTelemetry>();
        builder.AddServiceDatabase<ArchiverOptions>(PlatformResources.ArchiverDb, PlatformResources.Archiver);

        builder.Services.AddSingleton<ArchiveBucket>();
        builder.Services.AddSingleton<ArchiveLayout>();
        builder.Services.AddSingleton<ArchiveBuffer>();
        builder.Services.AddSingleton<LogGroupKeys>();
        builder.Services.AddLiveConfiguration<LogGroupKeys, LogGroupSpec>(ProvisioningKinds.LogGroups);
        builder.Services.AddSingleton<SigningKey>();
        builder.Services.AddSingleton<DigestChain>();
        builder.Services.AddSingleton<ArchiveWriter>();
        builder.Services.AddSingleton<ArchiveValidator>();
        builder.Services.AddSingleton<ArchiveStatus>();
        builder.Services.AddHostedService<ArchiveWriterService>();
        return builder;
    }
}
