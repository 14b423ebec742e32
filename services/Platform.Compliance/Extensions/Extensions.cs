using Platform.EventSourcing;
using Platform.Database;
using Platform.Compliance.Remediation;

namespace Platform.Compliance.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddComplianceServices(this IHostApplicationBuilder builder)
    {
        var database = builder.AddServiceDatabase(PlatformResources.ComplianceDb, options =>
            options.Migrations.AddRange(MigrationScript.FromAssembly(typeof(ComplianceDbContext).Assembly, PlatformResources.Compliance)));
        builder.AddEventStore<ComplianceDbContext>(database);
        builder.AddRemediation();
        return builder;
    }
}
