using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using MassTransit;
using Platform.Alerting.Subscriptions;
using Platform.Contracts.Provisioning;
using Platform.Http;
using Platform.Messaging;

namespace Platform.Alerting.Delivery;

/// <summary>Delivery's part of the alerting service: targets, the scheduler and sender, alarm actions, subscription filters.</summary>
public static class DeliveryExtensions
{
    /// <summary>Alarm actions and subscription deliveries (competing); topic, function and filter changes (per instance).</summary>
    public static void AddDeliveryConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<AlarmActionsConsumer>();
        bus.AddConsumer<SubscriptionDeliveryConsumer>();
        // Every instance must resolve targets and filter events the same way.
        bus.AddInstanceConsumer<ProvisionedTargetsConsumer>();
        bus.AddInstanceConsumer<ProvisionedSubscriptionFiltersConsumer>();
    }

    public static IHostApplicationBuilder AddDeliveryServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformOptions<DeliveryOptions>(DeliveryOptions.Section);
        builder.Services.AddSingleton<DeliveryTargets>();
        builder.Services.AddSingleton<SubscriptionFilters>();
        builder.Services.AddProvisionedResourceCatchUp<DeliveryTargets, TopicSpec>(
            ProvisioningKinds.Topics, (targets, name, spec, version) => targets.Apply(new TopicProvisioned(name, spec, version)));
        builder.Services.AddProvisionedResourceCatchUp<DeliveryTargets, FunctionSpec>(
            ProvisioningKinds.Functions, (targets, name, spec, version) => targets.Apply(new FunctionProvisioned(name, spec, version)));
        builder.Services.AddProvisionedResourceCatchUp<SubscriptionFilters, SubscriptionFilterSpec>(
            ProvisioningKinds.SubscriptionFilters, (filters, name, spec, version) => filters.Apply(new SubscriptionFilterProvisioned(name, spec, version)));

        builder.Services.AddSingleton<DeliveryStore>();
        builder.Services.AddSingleton<DeliverySignal>();
        builder.Services.AddSingleton<DeliveryChannels>();
        builder.Services.AddSingleton<IDeliveryScheduler, DeliveryScheduler>();
        builder.Services.AddHostedService<DeliverySender>();
        return builder;
    }
}
