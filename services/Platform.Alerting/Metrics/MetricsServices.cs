namespace Platform.Alerting.Metrics;

/// <summary>The metrics part of alerting: metric filters, data points, statistics and their retention.</summary>
public static class MetricsServices
{
    public static void AddMetricsConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<MetricsConsumer, MetricsConsumerDefinition>();
        // Every instance must evaluate the same filters.
        bus.AddLiveConfigurationConsumer<MetricFilterSet, MetricFilterSpec, MetricFilterProvisioned, MetricFilterDeleted>();
    }

    public static IServiceCollection AddMetricData(this IServiceCollection services)
    {
        services.AddSingleton<MetricFilterSet>();
        services.AddLiveConfiguration<MetricFilterSet, MetricFilterSpec>(ProvisioningKinds.MetricFilters);
        services.AddSingleton<CloudTrailMetrics>();
        services.AddSingleton<MetricEvaluator>();
        services.AddSingleton<MetricStore>();
        services.AddSingleton<IMetricStatistics>(sp => sp.GetRequiredService<MetricStore>());
        services.AddHostedService<MetricRetention>();
        return services;
    }
}
