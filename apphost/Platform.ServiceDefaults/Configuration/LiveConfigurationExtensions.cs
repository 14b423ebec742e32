using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Provisioning;
using Platform.ServiceDefaults.Http;

namespace Platform.ServiceDefaults.Configuration;

/// <summary>
/// Live configuration: every service instance applies provisioning's changes without a restart.
/// API keys are wired here for every service. A service adds its own kinds the same way:
/// <code>
/// builder.Services.AddProvisionedResourceCatchUp(ProvisioningKinds.Sources, (resources, services, ct) => ...);
/// </code>
/// plus a consumer of the kind's <c>*Provisioned</c>/<c>*Deleted</c> events that, like the catch-up
/// handler, applies a change only when <see cref="ProvisionedResourceVersions.TryAdvance"/> says it is newer.
/// </summary>
public static class LiveConfigurationExtensions
{
    /// <summary>
    /// Key events go to a temporary queue per instance (deleted when the instance stops), not to a
    /// shared queue of competing consumers: a revoked key must stop working on every instance.
    /// </summary>
    internal static void AddLiveConfigurationConsumers(this IBusRegistrationConfigurator bus)
    {
        var instanceId = Guid.NewGuid().ToString("N")[..12];
        bus.AddConsumer<ApiKeyEventsConsumer>().Endpoint(endpoint =>
        {
            endpoint.InstanceId = instanceId;
            endpoint.Temporary = true;
            // In order: an issue and its revoke must not overtake each other.
            endpoint.ConcurrentMessageLimit = 1;
        });
        bus.AddRequestClient<GetProvisionedResources>();
    }

    internal static IServiceCollection AddLiveConfiguration(this IServiceCollection services)
    {
        services.AddSingleton<ProvisionedResourceVersions>();
        services.AddSingleton<LiveApiKeys>();
        return services.AddProvisionedResourceCatchUp(ProvisioningKinds.ApiKeys, ApplyApiKeysAsync);
    }

    /// <summary>Catches up on <paramref name="kind"/> at start, in the background, retrying until provisioning answers.</summary>
    public static IServiceCollection AddProvisionedResourceCatchUp(
        this IServiceCollection services, string kind, ProvisionedResourcesHandler apply) =>
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp => new ProvisionedResourceCatchUp(
            kind, apply, sp, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ProvisionedResourceCatchUp>>()));

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
