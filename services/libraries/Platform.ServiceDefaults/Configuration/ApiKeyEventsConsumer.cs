namespace Platform.ServiceDefaults.Configuration;

/// <summary>
/// Keeps this instance's keys current. Bound to a temporary queue of its own (see
/// <see cref="LiveConfigurationExtensions"/>): every instance of every service hears every key event.
/// </summary>
public sealed class ApiKeyEventsConsumer(LiveApiKeys keys) : IConsumer<ApiKeyIssued>, IConsumer<ApiKeyRevoked>
{
    public Task Consume(ConsumeContext<ApiKeyIssued> context)
    {
        keys.Apply(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ApiKeyRevoked> context)
    {
        keys.Apply(context.Message);
        return Task.CompletedTask;
    }
}
