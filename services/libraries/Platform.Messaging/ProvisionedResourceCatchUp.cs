using Microsoft.Extensions.Logging;

namespace Platform.Messaging;

/// <summary>Applies the current resources of a kind (the answer to <see cref="GetProvisionedResources"/>).</summary>
public delegate Task ProvisionedResourcesHandler(ProvisionedResources resources, IServiceProvider services, CancellationToken cancellationToken);

/// <summary>
/// Live configuration: every service instance applies provisioning's changes without a restart. A service wires a
/// kind with <see cref="AddLiveConfiguration{TTarget,TSpec}"/> (the present at start, a catch-up) and
/// <see cref="AddLiveConfigurationConsumer{TTarget,TSpec,TProvisioned,TDeleted}"/> (the changes after it, a consumer of the
/// kind's <c>*Provisioned</c>/<c>*Deleted</c> events on a temporary queue per instance), both handed to the same
/// <see cref="ILiveConfiguration{TSpec}"/>.
/// </summary>
public static class LiveConfiguration
{
    /// <summary>
    /// How long provisioning has to answer a <see cref="GetProvisionedResources"/>, whoever asks (the start-up catch-up,
    /// the look-up of an API key issued a moment ago): long enough for a loaded provisioning to answer.
    /// </summary>
    public static readonly TimeSpan ProvisioningTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Catches up on <paramref name="kind"/> at start, in the background, retrying until provisioning answers.</summary>
    public static IServiceCollection AddProvisionedResourceCatchUp(
        this IServiceCollection services, string kind, ProvisionedResourcesHandler apply) =>
        services
            .AddSingleton(new LiveConfigurationKind(kind))
            .AddSingleton<IHostedService>(sp => new ProvisionedResourceCatchUp(
                kind, apply, sp, sp.GetRequiredService<ILogger<ProvisionedResourceCatchUp>>()));

    /// <summary>
    /// The changes of one kind after the catch-up: its <c>*Provisioned</c>/<c>*Deleted</c> events handed to the
    /// <typeparamref name="TTarget"/> by a consumer on a temporary queue per instance.
    /// </summary>
    public static IBusRegistrationConfigurator AddLiveConfigurationConsumer<TTarget, TSpec, TProvisioned, TDeleted>(
        this IBusRegistrationConfigurator bus)
        where TTarget : ILiveConfiguration<TSpec>
        where TProvisioned : class, IResourceProvisioned<TSpec>
        where TDeleted : class, IResourceDeleted
    {
        bus.AddInstanceConsumer<LiveConfigurationConsumer<TTarget, TSpec, TProvisioned, TDeleted>>();
        return bus;
    }

    /// <summary>
    /// The present of <paramref name="kind"/> at start: each current resource, its spec read as <typeparamref name="TSpec"/>,
    /// handed to the <typeparamref name="TTarget"/> exactly as its event would be, then
    /// <see cref="ILiveConfiguration{TSpec}.CaughtUpAsync"/> with their names.
    /// </summary>
    public static IServiceCollection AddLiveConfiguration<TTarget, TSpec>(this IServiceCollection services, string kind)
        where TTarget : ILiveConfiguration<TSpec> =>
        services.AddProvisionedResourceCatchUp(kind, async (resources, provider, cancellationToken) =>
        {
            var target = provider.GetRequiredService<TTarget>();
            foreach (var resource in resources.Resources)
            {
                await target.ApplyAsync(resource.Name, resource.SpecAs<TSpec>(), resource.Version, cancellationToken);
            }
            await target.CaughtUpAsync(resources.Resources.Select(r => r.Name).ToHashSet(StringComparer.Ordinal), cancellationToken);
        });

    /// <summary>
    /// Holds <paramref name="kind"/> as its specs, by name, in a <see cref="LiveResources{TSpec}"/> singleton, caught up at
    /// start (its events come through <see cref="AddLiveConfigurationConsumer{TTarget,TSpec,TProvisioned,TDeleted}"/>).
    /// </summary>
    public static IServiceCollection AddLiveResources<TSpec>(this IServiceCollection services, string kind) where TSpec : class =>
        services
            .AddSingleton(sp => new LiveResources<TSpec>(kind, sp.GetRequiredService<ProvisionedResourceVersions>()))
            .AddLiveConfiguration<LiveResources<TSpec>, TSpec>(kind);
}

/// <summary>
/// On start, asks the provisioning service for the current resources of one kind and applies them, so an
/// instance that was down (or is new) starts from the present. Runs in the background and retries until
/// provisioning answers: the service takes traffic meanwhile. It waits for the bus first, so the
/// instance's live-event queues are bound before the snapshot is taken and nothing falls between the two. Its waits
/// are on the broker and on provisioning, so they run on real time, never on the service's (possibly simulated)
/// clock: with a test's fake clock, a first look at a bus not yet healthy used to wait for a tick that never came.
/// </summary>
internal sealed partial class ProvisionedResourceCatchUp(
    string kind,
    ProvisionedResourcesHandler apply,
    IServiceProvider services,
    ILogger<ProvisionedResourceCatchUp> logger) : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        await WaitForBusAsync(stoppingToken);

        var delay = TimeSpan.FromMilliseconds(500);
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                using var scope = services.CreateScope();
                var client = scope.ServiceProvider.GetRequiredService<IRequestClient<GetProvisionedResources>>();
                var response = await client.GetResponse<ProvisionedResources>(
                    new GetProvisionedResources(kind), stoppingToken, RequestTimeout.After(ms: (int)LiveConfiguration.ProvisioningTimeout.TotalMilliseconds));
                await apply(response.Message, scope.ServiceProvider, stoppingToken);
                services.GetRequiredService<LiveConfigurationGate>().CaughtUp(kind);
                LogCaughtUp(kind, response.Message.Resources.Count);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRetrying(kind, attempt, ex.Message);
            }

            await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    private async Task WaitForBusAsync(CancellationToken stoppingToken)
    {
        var bus = services.GetRequiredService<IBusControl>();
        while (!stoppingToken.IsCancellationRequested)
        {
            var health = bus.CheckHealth();
            if (health.Status == BusHealthStatus.Healthy)
            {
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(LogLevel.Information, "Caught up on {Kind}: {Count} provisioned resources")]
    private partial void LogCaughtUp(string kind, int count);

    [LoggerMessage(LogLevel.Warning, "Provisioning has not answered for {Kind} yet (attempt {Attempt}: {Reason}); retrying")]
    private partial void LogRetrying(string kind, int attempt, string reason);
}
