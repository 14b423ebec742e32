using Platform.EventSourcing;
using Platform.EventSourcing.Migrations;
using Platform.ServiceDefaults;

namespace Platform.Detection.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddDetectionServices(this IHostApplicationBuilder builder)
    {
        builder.AddEventStore<DetectionDbContext>(PlatformResources.DetectionDb, options =>
            options.Migrations.AddRange(MigrationScript.FromAssembly(typeof(DetectionDbContext).Assembly, PlatformResources.Detection)));
        return builder;
    }
}
