using MassTransit;
using Platform.Compliance.Configuration;
using Platform.Compliance.Evaluation;
using Platform.EventSourcing;
using Platform.Database;

namespace Platform.Compliance.Extensions;

public static class Extensions
{
    /// <summary>The service's consumers; pass to <c>AddServiceDefaults</c>.</summary>
    public static void AddComplianceConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddIntakeConsumers();
        bus.AddEvaluationConsumers();
    }

    public static IHostApplicationBuilder AddComplianceServices(this IHostApplicationBuilder builder)
    {
        var database = builder.AddServiceDatabase(PlatformResources.ComplianceDb, options =>
            options.Migrations.AddRange(MigrationScript.FromAssembly(typeof(ComplianceDbContext).Assembly, PlatformResources.Compliance)));
        builder.AddEventStore<ComplianceDbContext>(database, store =>
        {
            store.AddIntakeEvents();
            store.Types.RegisterEvaluationEvents();
        });
        builder.AddIntake();
        builder.AddEvaluationServices();
        return builder;
    }
}
