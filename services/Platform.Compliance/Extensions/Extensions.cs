using MassTransit;
using Platform.Compliance.Configuration;
using Platform.Compliance.Evaluation;
using Platform.Compliance.Remediation;
using Platform.Compliance.S3;
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
        bus.AddRemediationConsumers();
    }

    public static IHostApplicationBuilder AddComplianceServices(this IHostApplicationBuilder builder)
    {
        var database = builder.AddServiceDatabase<ComplianceDbContext>(PlatformResources.ComplianceDb, PlatformResources.Compliance);
        builder.AddEventStore<ComplianceDbContext>(database, store => store.Types
            .RegisterIntakeEvents()
            .RegisterEvaluationEvents()
            .RegisterRemediationEvents());
        builder.AddPlatformOptions<ComplianceS3Options>(ComplianceS3Options.Section);
        builder.Services.AddSingleton<ComplianceS3>();
        builder.Services.AddSingleton<ComplianceTelemetry>();
        builder.AddIntake();
        builder.AddEvaluationServices();
        builder.AddRemediation();
        return builder;
    }
}
