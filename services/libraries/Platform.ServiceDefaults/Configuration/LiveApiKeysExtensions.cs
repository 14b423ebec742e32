using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts;
using Platform.Contracts.Provisioning;
using Platform.Messaging;

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
        return services.AddProvisionedResourceCatchUp(ProvisioningKinds.ApiKeys, ApplyApiKeysAsync);
    }

    private static Task ApplyApiKeysAsync(ProvisionedResources resources, IServiceProvider services, CancellationToken cancellationToken)
    {
        var keys = services.GetRequiredService<LiveApiKeys>();
        foreach (var resource in resources.Resources)
        {
            var spec = resource.Spec.Deserialize<ApiKeySpec>(PlatformJson.Options)
                ?? throw new JsonException($"API key '{resource.Name}' has no spec.");
            keys.Apply(new ApiKeyIssued(resource.Name, spec.Role, spec.KeyHash, resource.Version));
        }
        return Task.CompletedTask;
    }
}
