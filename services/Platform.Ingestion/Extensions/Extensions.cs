using Platform.EventSourcing;
using Platform.EventSourcing.Migrations;
using Platform.ServiceDefaults;

namespace Platform.Ingestion.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddIngestionServices(this IHostApplicationBuilder builder)
    {
        builder.AddEventStore<IngestionDbContext>(PlatformResources.IngestionDb, options =>
            options.Migrations.AddRange(MigrationScript.FromAssembly(typeof(IngestionDbContext).Assembly, PlatformResources.Ingestion)));
        return builder;
    }
}
