using Platform.Alerting.Subscriptions;

namespace Platform.Alerting.Delivery;

/// <summary>Delivery's part of the alerting service: targets, the scheduler and sender, alarm actions, subscription filters.</summary>
public static class DeliveryExtensions
{
    /// <summary>Alarm actions and subscription deliveries (competing); topic, function and filter changes (per instance).</summary>
    public static void AddDeliveryConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<AlarmActionsConsumer>();
        bus.AddConsumer<SubscriptionDeliveryConsumer, SubscriptionDeliveryConsumerDefinition>();
        // Every instance must resolve targets and filter events the same way.
        bus.AddLiveConfigurationConsumer<LiveResources<TopicSpec>, TopicSpec, TopicProvisioned, TopicDeleted>();
        bus.AddLiveConfigurationConsumer<LiveResources<FunctionSpec>, FunctionSpec, FunctionProvisioned, FunctionDeleted>();
        bus.AddLiveConfigurationConsumer<SubscriptionFilters, SubscriptionFilterSpec, SubscriptionFilterProvisioned, SubscriptionFilterDeleted>();
    }

    public static IHostApplicationBuilder AddDeliveryServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformOptions<DeliveryOptions>(DeliveryOptions.Section);
        builder.Services.AddSingleton<DeliveryTargets>();
        builder.Services.AddLiveResources<TopicSpec>(ProvisioningKinds.Topics);
        builder.Services.AddLiveResources<FunctionSpec>(ProvisioningKinds.Functions);
        builder.Services.AddSingleton<SubscriptionFilters>();
        builder.Services.AddLiveConfiguration<SubscriptionFilters, SubscriptionFilterSpec>(ProvisioningKinds.SubscriptionFilters);

        builder.Services.AddSingleton<DeliveryStore>();
        builder.Services.AddSingleton<DeliverySignal>();
        builder.Services.AddSingleton<DeliveryChannels>();
        builder.Services.AddSingleton<IDeliveryScheduler, DeliveryScheduler>();
        builder.Services.AddHostedService<DeliverySender>();
        return builder;
    }
}
