using Platform.Archiver.Api;
using Platform.Archiver.Buffering;
using Platform.Archiver.Integrity;
using Platform.Archiver.Storage;
using Platform.Archiver.Writing;

namespace Platform.Archiver.Extensions;

public static class Extensions
{
    /// <summary>The archiver's consumers: ingested batches (competing) and log groups' KMS keys (kept in its database).</summary>
    public static void AddArchiverConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<LogEventsIngestedConsumer, LogEventsIngestedConsumerDefinition>();
        bus.AddConsumer<LogGroupKeysConsumer>();
    }

    public static IHostApplicationBuilder AddArchiverServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformOptions<ArchiverOptions>(ArchiverOptions.Section);
        builder.Services.AddSingleton<ArchiverTelemetry>();
        builder.AddServiceDatabase(PlatformResources.ArchiverDb, db =>
            db.Migrations.AddRange(MigrationScript.FromAssembly(typeof(ArchiverOptions).Assembly, PlatformResources.Archiver)));

        builder.Services.AddSingleton<ArchiveBucket>();
        builder.Services.AddSingleton<ArchiveLayout>();
        builder.Services.AddSingleton<ArchiveBuffer>();
        builder.Services.AddSingleton<LogGroupKeys>();
        builder.Services.AddProvisionedResourceCatchUp(ProvisioningKinds.LogGroups, async (resources, services, cancellationToken) =>
        {
            var keys = services.GetRequiredService<LogGroupKeys>();
            foreach (var resource in resources.Resources)
            {
                await keys.SetAsync(resource.Name, resource.SpecAs<LogGroupSpec>().KmsKeyId, resource.Version, cancellationToken);
            }
        });
        builder.Services.AddSingleton<SigningKey>();
        builder.Services.AddSingleton<DigestChain>();
        builder.Services.AddSingleton<ArchiveWriter>();
        builder.Services.AddSingleton<ArchiveValidator>();
        builder.Services.AddSingleton<ArchiveStatus>();
        builder.Services.AddHostedService<ArchiveWriterService>();
        return builder;
    }
}
