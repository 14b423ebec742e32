using Microsoft.Extensions.Logging;

namespace Platform.Messaging;

/// <summary>Applies the current resources of a kind (the answer to <see cref="GetProvisionedResources"/>).</summary>
public delegate Task ProvisionedResourcesHandler(ProvisionedResources resources, IServiceProvider services, CancellationToken cancellationToken);

/// <summary>
/// Live configuration: every service instance applies provisioning's changes without a restart. A service wires a
/// kind with <see cref="AddProvisionedResourceCatchUp"/> (the present, at start) plus a consumer of the kind's
/// <c>*Provisioned</c>/<c>*Deleted</c> events added with <see cref="InstanceSubscriptions.AddInstanceConsumer{TConsumer}"/>
/// (the changes after it); both apply a change only when <see cref="ProvisionedResourceVersions.TryAdvance"/> says it is newer.
/// </summary>
public static class LiveConfiguration
{
    /// <summary>Catches up on <paramref name="kind"/> at start, in the background, retrying until provisioning answers.</summary>
    public static IServiceCollection AddProvisionedResourceCatchUp(
        this IServiceCollection services, string kind, ProvisionedResourcesHandler apply) =>
        services.AddSingleton<IHostedService>(sp => new ProvisionedResourceCatchUp(
            kind, apply, sp, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ProvisionedResourceCatchUp>>()));

    /// <summary>
    /// Catches up on <paramref name="kind"/> by handing each current resource, its spec read as <typeparamref name="TSpec"/>,
    /// to the <typeparamref name="TTarget"/> singleton that applies the kind's live events, exactly as its event would.
    /// </summary>
    public static IServiceCollection AddProvisionedResourceCatchUp<TTarget, TSpec>(
        this IServiceCollection services, string kind, Action<TTarget, string, TSpec, long> apply) where TTarget : notnull =>
        services.AddProvisionedResourceCatchUp(kind, (resources, provider, _) =>
        {
            var target = provider.GetRequiredService<TTarget>();
            foreach (var resource in resources.Resources)
            {
                apply(target, resource.Name, resource.SpecAs<TSpec>(), resource.Version);
            }
            return Task.CompletedTask;
        });
}

/// <summary>
/// On start, asks the provisioning service for the current resources of one kind and applies them, so an
/// instance that was down (or is new) starts from the present. Runs in the background and retries until
/// provisioning answers: the service takes traffic meanwhile. It waits for the bus first, so the
/// instance's live-event queues are bound before the snapshot is taken and nothing falls between the two.
/// </summary>
internal sealed partial class ProvisionedResourceCatchUp(
    string kind,
    ProvisionedResourcesHandler apply,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<ProvisionedResourceCatchUp> logger) : BackgroundService
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
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
                    new GetProvisionedResources(kind), stoppingToken, MassTransit.RequestTimeout.After(ms: (int)RequestTimeout.TotalMilliseconds));
                await apply(response.Message, scope.ServiceProvider, stoppingToken);
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

            await Task.Delay(delay, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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
            await Task.Delay(TimeSpan.FromMilliseconds(100), clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(LogLevel.Information, "Caught up on {Kind}: {Count} provisioned resources")]
    private partial void LogCaughtUp(string kind, int count);

    [LoggerMessage(LogLevel.Warning, "Provisioning has not answered for {Kind} yet (attempt {Attempt}: {Reason}); retrying")]
    private partial void LogRetrying(string kind, int attempt, string reason);
}
