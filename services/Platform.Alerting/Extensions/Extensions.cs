using Platform.Alerting.Delivery;
using Platform.EventSourcing;
using Platform.Database;

namespace Platform.Alerting.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddAlertingServices(this IHostApplicationBuilder builder)
    {
        var database = builder.AddServiceDatabase(PlatformResources.AlertingDb, options =>
            options.Migrations.AddRange(MigrationScript.FromAssembly(typeof(AlertingDbContext).Assembly, PlatformResources.Alerting)));
        builder.AddEventStore<AlertingDbContext>(database);
        builder.AddDeliveryServices();
        return builder;
    }
}
