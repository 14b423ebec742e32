using Platform.EventSourcing;
using Platform.EventSourcing.Migrations;
using Platform.ServiceDefaults;

namespace Platform.Compliance.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddComplianceServices(this IHostApplicationBuilder builder)
    {
        builder.AddEventStore<ComplianceDbContext>(PlatformResources.ComplianceDb, options =>
            options.Migrations.AddRange(MigrationScript.FromAssembly(typeof(ComplianceDbContext).Assembly, PlatformResources.Compliance)));
        return builder;
    }
}
