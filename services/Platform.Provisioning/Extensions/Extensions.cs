using Platform.EventSourcing;
using Platform.Database;

namespace Platform.Provisioning.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddProvisioningServices(this IHostApplicationBuilder builder)
    {
        var database = builder.AddServiceDatabase<ProvisioningDbContext>(PlatformResources.ProvisioningDb, PlatformResources.Provisioning);
        builder.AddEventStore<ProvisioningDbContext>(database, options =>
        {
            // A resource's stream is its public events: what other services hear is exactly its history.
            options.Types
                .Register<SourceProvisioned>(publish: true).Register<SourceDeleted>(publish: true)
                .Register<LogGroupProvisioned>(publish: true).Register<LogGroupDeleted>(publish: true)
                .Register<DetectionRuleProvisioned>(publish: true).Register<DetectionRuleDeleted>(publish: true)
                .Register<SuppressionRuleProvisioned>(publish: true).Register<SuppressionRuleDeleted>(publish: true)
                .Register<AlarmProvisioned>(publish: true).Register<AlarmDeleted>(publish: true)
                .Register<TopicProvisioned>(publish: true).Register<TopicDeleted>(publish: true)
                .Register<FunctionProvisioned>(publish: true).Register<FunctionDeleted>(publish: true)
                .Register<SubscriptionFilterProvisioned>(publish: true).Register<SubscriptionFilterDeleted>(publish: true)
                .Register<ApiKeyIssued>(publish: true).Register<ApiKeyRevoked>(publish: true)
                .Register<StackApplied>(publish: false);
            options.Types.Register<EventRuleProvisioned>(publish: true).Register<EventRuleDeleted>(publish: true);
            options.Types.Register<MetricFilterProvisioned>(publish: true).Register<MetricFilterDeleted>(publish: true);
            options.Types.Register<ConfigRuleProvisioned>(publish: true).Register<ConfigRuleDeleted>(publish: true);
            options.Types.Register<RemediationProvisioned>(publish: true).Register<RemediationDeleted>(publish: true);
            options.Types.Register<EventDataStoreProvisioned>(publish: true).Register<EventDataStoreDeleted>(publish: true);
            options.Types.Register<RuleSettingProvisioned>(publish: true).Register<RuleSettingDeleted>(publish: true);
            options.Types.Register<SavedQueryProvisioned>(publish: true).Register<SavedQueryDeleted>(publish: true);
            options.Types.Register<DashboardProvisioned>(publish: true).Register<DashboardDeleted>(publish: true);
        });
        builder.Services.AddSingleton(ResourceSettings.From(builder.Configuration));
        builder.Services.AddScoped<ResourceStore>();
        builder.Services.AddScoped<StackApplier>();
        // After the event store's migrations (hosted services start in order).
        builder.Services.AddHostedService<SeedStack>();
        return builder;
    }
}
