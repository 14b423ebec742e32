using MassTransit;
using Platform.Compliance.Configuration;
using Platform.EventSourcing;
using Platform.Database;

namespace Platform.Compliance.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddComplianceServices(this IHostApplicationBuilder builder)
    {
        var database = builder.AddServiceDatabase(PlatformResources.ComplianceDb, options =>
            options.Migrations.AddRange(MigrationScript.FromAssembly(typeof(ComplianceDbContext).Assembly, PlatformResources.Compliance)));
        builder.AddEventStore<ComplianceDbContext>(database, store =>
        {
            store.AddIntakeEvents();
        });
        builder.AddIntake();
        return builder;
    }

    /// <summary>The service's consumers; pass to <c>AddServiceDefaults</c>.</summary>
    public static void AddComplianceConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddIntakeConsumers();
    }
}
