using Platform.Alerting.EventRules;
using Platform.Alerting.Alarms;
using Platform.Alerting.Delivery;
using Platform.EventSourcing;
using Platform.Database;

namespace Platform.Alerting.Extensions;

public static class Extensions
{
    /// <summary>The alerting service's consumers.</summary>
    public static void AddAlertingConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<EventRuleMatchingConsumer, EventRuleMatchingConsumerDefinition>();
        // Every instance must match with the same rules.
        bus.AddLiveConfigurationConsumer<LiveEventRules, EventRuleSpec, EventRuleProvisioned, EventRuleDeleted>();
        bus.AddMetricsConsumers();
        // Every instance hears alarm changes; the first to write each version to the database wins.
        bus.AddLiveConfigurationConsumer<AlarmConfigurations, AlarmSpec, AlarmProvisioned, AlarmDeleted>();
        bus.AddDeliveryConsumers();
    }

    public static IHostApplicationBuilder AddAlertingServices(this IHostApplicationBuilder builder)
    {
        var database = builder.AddServiceDatabase<AlertingDbContext>(PlatformResources.AlertingDb, PlatformResources.Alerting);
        builder.AddEventStore<AlertingDbContext>(database, store =>
        {
            store.Types
                .Register<AlarmConfigured>(publish: false)
                .Register<AlarmRemoved>(publish: false)
                .Register<AlarmStateChanged>(publish: true);
        });

        builder.Services.AddSingleton<LiveEventRules>();
        builder.Services.AddLiveConfiguration<LiveEventRules, EventRuleSpec>(ProvisioningKinds.EventRules);
        builder.Services.AddMetricData();

        builder.Services.AddScoped<AlarmConfigurations>();
        builder.Services.AddLiveConfiguration<AlarmConfigurations, AlarmSpec>(ProvisioningKinds.Alarms);
        builder.Services.AddScoped<AlarmEvaluator>();
        builder.Services.AddSingleton<AlarmMinutePass>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlarmMinutePass>());
        builder.Services.AddSingleton<IMetricDataListener, AlarmMetricDataListener>();
        builder.AddDeliveryServices();
        return builder;
    }
}
