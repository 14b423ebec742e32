using Platform.EventSourcing;
using Platform.EventSourcing.Migrations;
using Platform.ServiceDefaults;

namespace Platform.Alerting.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddAlertingServices(this IHostApplicationBuilder builder)
    {
        builder.AddEventStore<AlertingDbContext>(PlatformResources.AlertingDb, options =>
            options.Migrations.AddRange(MigrationScript.FromAssembly(typeof(AlertingDbContext).Assembly, PlatformResources.Alerting)));
        return builder;
    }
}
