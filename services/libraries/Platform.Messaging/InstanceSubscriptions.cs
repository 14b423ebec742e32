namespace Platform.Messaging;

/// <summary>
/// Consumers that every instance of a service must run, not share: live configuration (API keys, rules, sources).
/// Each gets a temporary queue per instance, deleted when the instance stops, consumed one message at a time so a
/// resource's change and its delete never overtake each other.
/// </summary>
public static class InstanceSubscriptions
{
    public static IConsumerRegistrationConfigurator<TConsumer> AddInstanceConsumer<TConsumer>(this IBusRegistrationConfigurator bus)
        where TConsumer : class, IConsumer
    {
        // New per registration, not per process: several services (or instances) may share one process in tests.
        var instanceId = Guid.NewGuid().ToString("N")[..12];
        var consumer = bus.AddConsumer<TConsumer>();
        consumer.Endpoint(endpoint =>
        {
            endpoint.InstanceId = instanceId;
            endpoint.Temporary = true;
            endpoint.ConcurrentMessageLimit = 1;
        });
        return consumer;
    }
}
