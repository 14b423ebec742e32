using MassTransit;
using Platform.Contracts.Provisioning;
using Platform.Messaging;

namespace Platform.Alerting.Metrics;

/// <summary>The metrics part of alerting: metric filters, data points, statistics and their retention.</summary>
public static class MetricsServices
{
    public static void AddMetricsConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<MetricsConsumer, MetricsConsumerDefinition>();
        // Every instance must evaluate the same filters.
        bus.AddInstanceConsumer<ProvisionedMetricFiltersConsumer>();
    }

    public static IServiceCollection AddMetricData(this IServiceCollection services)
    {
        services.AddSingleton<MetricFilterSet>();
        services.AddSingleton<CloudTrailMetrics>();
        services.AddSingleton<MetricEvaluator>();
        services.AddSingleton<MetricStore>();
        services.AddSingleton<IMetricStatistics>(sp => sp.GetRequiredService<MetricStore>());
        services.AddProvisionedResourceCatchUp<MetricFilterSet, MetricFilterSpec>(
            ProvisioningKinds.MetricFilters, (filters, name, spec, version) => filters.Apply(new MetricFilterProvisioned(name, spec, version)));
        services.AddHostedService<MetricRetention>();
        return services;
    }
}
