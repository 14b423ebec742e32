using Platform.Archive;
using Platform.Messaging;

namespace Platform.Ingestion.SqlQueries;

public static class SqlQueriesExtensions
{
    /// <summary>The SQL subset: the provisioned event data stores, applied live, and <c>/v1/sql-queries</c> (run by the shared query runs, over the raw log store or the archive).</summary>
    public static IHostApplicationBuilder AddSqlQueries(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LiveEventDataStores>();
        builder.AddPlatformOptions<ArchiveLocation>(ArchiveLocation.Section);
        builder.AddPlatformOptions<ArchiveQueryOptions>(ArchiveQueryOptions.Section);
        builder.Services.AddSingleton<ArchiveQueries>();
        builder.Services.AddLiveConfiguration<LiveEventDataStores, EventDataStoreSpec>(ProvisioningKinds.EventDataStores);
        return builder;
    }

    /// <summary>Every instance hears every event data store change: each answers queries with the same stores.</summary>
    public static void AddSqlQueryConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddLiveConfigurationConsumer<LiveEventDataStores, EventDataStoreSpec, EventDataStoreProvisioned, EventDataStoreDeleted>();
}
