using Platform.Alerting.EventRules;
using Platform.Alerting.Metrics;
using Platform.EventSourcing;
using Platform.Database;
using Platform.Contracts.Provisioning;
using Platform.Messaging;
using MassTransit;

namespace Platform.Alerting.Extensions;

public static class Extensions
{
    /// <summary>The alerting service's consumers.</summary>
    public static void AddAlertingConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<EventRuleMatchingConsumer>();
        // Every instance must match with the same rules.
        bus.AddInstanceConsumer<ProvisionedEventRulesConsumer>();
        bus.AddMetricsConsumers();
    }

    public static IHostApplicationBuilder AddAlertingServices(this IHostApplicationBuilder builder)
    {
        var database = builder.AddServiceDatabase(PlatformResources.AlertingDb, options =>
            options.Migrations.AddRange(MigrationScript.FromAssembly(typeof(AlertingDbContext).Assembly, PlatformResources.Alerting)));
        builder.AddEventStore<AlertingDbContext>(database);

        builder.Services.AddSingleton<LiveEventRules>();
        builder.Services.AddProvisionedResourceCatchUp(ProvisioningKinds.EventRules, LiveEventRules.ApplyAsync);
        builder.Services.AddMetricData();
        return builder;
    }
}
