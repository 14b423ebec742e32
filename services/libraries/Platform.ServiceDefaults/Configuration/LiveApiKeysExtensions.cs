namespace Platform.ServiceDefaults.Configuration;

/// <summary>API keys, live on every instance of every service: issued and revoked keys apply at once.</summary>
internal static class LiveApiKeysExtensions
{
    /// <summary>Key events on a queue per instance: a revoked key must stop working on every instance.</summary>
    public static void AddLiveApiKeyConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddInstanceConsumer<ApiKeyEventsConsumer>();

    public static IServiceCollection AddLiveApiKeys(this IServiceCollection services)
    {
        services.AddSingleton<LiveApiKeys>();
        services.AddSingleton<ApiKeyLookup>();
        return services.AddProvisionedResourceCatchUp(ProvisioningKinds.ApiKeys, (resources, provider, _) =>
        {
            provider.GetRequiredService<LiveApiKeys>().Apply(resources);
            return Task.CompletedTask;
        });
    }
}
