using Platform.Detection.Correlation;
using Platform.Detection.Evaluation;
using Platform.EventSourcing;
using Platform.Database;
using Platform.Detection.RetroHunts;
using Platform.Detection.Insights;

namespace Platform.Detection.Extensions;

public static class Extensions
{
    /// <summary>The detection service's consumers: the batch evaluator (competing) and live rule changes (per instance).</summary>
    public static void AddDetectionConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<LogEventsIngestedConsumer, LogEventsIngestedConsumerDefinition>();
        // Every instance must evaluate the same rules.
        bus.AddLiveConfigurationConsumer<ProvisionedDetectionRules, DetectionRuleSpec, DetectionRuleProvisioned, DetectionRuleDeleted>();
        bus.AddLiveConfigurationConsumer<ProvisionedSuppressionRules, SuppressionRuleSpec, SuppressionRuleProvisioned, SuppressionRuleDeleted>();
        bus.AddRetroHuntConsumers();
        bus.AddRuleSettingsConsumer();
    }

    public static IHostApplicationBuilder AddDetectionServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformOptions<DetectionOptions>(DetectionOptions.Section);
        builder.Services.AddSingleton<DetectionTelemetry>();

        var database = builder.AddServiceDatabase<DetectionDbContext>(PlatformResources.DetectionDb, PlatformResources.Detection);
        builder.AddEventStore<DetectionDbContext>(database, store =>
        {
            store.Types
                .Register<FindingOpened>(publish: false)
                .Register<OccurrencesRecorded>(publish: false)
                .Register<FindingAcknowledged>(publish: false)
                .Register<FindingResolved>(publish: false)
                .Register<FindingSuppressed>(publish: false)
                .Register<FindingReopened>(publish: false)
                .Register<FindingRaised>(publish: true)
                .Register<FindingUpdated>(publish: true)
                .Register<FindingStatusChanged>(publish: true);
            store.Types.Register<CloudTrailInsightEvent>(publish: true);
        });

        builder.Services.AddSingleton<ICorrelationWindowStore, PostgresCorrelationWindowStore>();
        builder.Services.AddSingleton(sp =>
        {
            var catalog = ActivatorUtilities.CreateInstance<RuleCatalog>(sp);
            var options = sp.GetRequiredService<DetectionOptions>();
            catalog.LoadShipped(options.RulesDirectory ?? Path.Combine(AppContext.BaseDirectory, "Rules"));
            return catalog;
        });
        builder.Services.AddSingleton<SuppressionRules>();
        builder.Services.AddSingleton<ProvisionedDetectionRules>();
        builder.Services.AddLiveConfiguration<ProvisionedDetectionRules, DetectionRuleSpec>(ProvisioningKinds.DetectionRules);
        builder.Services.AddSingleton<ProvisionedSuppressionRules>();
        builder.Services.AddLiveConfiguration<ProvisionedSuppressionRules, SuppressionRuleSpec>(ProvisioningKinds.SuppressionRules);

        builder.Services.AddScoped<FindingStreams>();
        builder.Services.AddSingleton<FindingStateCache>();
        builder.Services.AddScoped<BatchEvaluator>();
        builder.Services.AddSingleton<FindingsCommitter>();
        builder.AddRetroHunts();
        builder.AddCloudTrailInsights();
        builder.AddRuleSettings();
        builder.Services.AddScoped<RuleMatchCounter>();
        builder.Services.AddHostedService<CorrelationWindowCleanup>();
        return builder;
    }
}
