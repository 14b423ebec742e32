using Platform.Compliance.Evaluation;
using Platform.EventSourcing;
using Platform.Database;

namespace Platform.Compliance.Extensions;

public static class Extensions
{
    /// <summary>The compliance service's consumers.</summary>
    public static void AddComplianceConsumers(this MassTransit.IBusRegistrationConfigurator bus)
    {
        bus.AddEvaluationConsumers();
    }

    public static IHostApplicationBuilder AddComplianceServices(this IHostApplicationBuilder builder)
    {
        var database = builder.AddServiceDatabase(PlatformResources.ComplianceDb, options =>
            options.Migrations.AddRange(MigrationScript.FromAssembly(typeof(ComplianceDbContext).Assembly, PlatformResources.Compliance)));
        builder.AddEventStore<ComplianceDbContext>(database, store =>
        {
            store.Types.RegisterEvaluationEvents();
        });
        builder.AddEvaluationServices();
        return builder;
    }
}
