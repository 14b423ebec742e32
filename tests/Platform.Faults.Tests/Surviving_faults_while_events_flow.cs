using Xunit.Abstractions;

namespace Platform.Faults.Tests;

/// <summary>
/// Faults while events flow, each recovered with no hand on the platform but the AppHost's own commands: nothing taken
/// in is lost or handled twice, and the pipeline returns to full rate.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class Surviving_faults_while_events_flow(SingleInstancePlatform platform, ITestOutputHelper output)
{
    /// <summary><c>kill -9</c>, then the start command, as a supervisor restarts a crashed process.</summary>
    [Theory]
    [InlineData(PlatformResources.Ingestion)]
    [InlineData(PlatformResources.Detection)]
    [InlineData(PlatformResources.Alerting)]
    public async Task Every_event_is_stored_found_and_alerted_once_after_the_service_is_killed_and_started_again(string service) =>
        await platform.DrillAsync($"kill-{service}", async () =>
        {
            var killed = await platform.KillAsync(service);
            await Task.Delay(TimeSpan.FromSeconds(5)); // a backlog builds while it is down
            await platform.StartAsync(killed);
            await platform.WaitUntilHealthyAsync(service, started: killed);
        }, output);

    /// <summary>
    /// The broker restarted while batches wait for its confirms: the services reconnect by themselves,
    /// and a publish whose confirm the restart lost fails after ingestion's publish timeout instead of stalling its shard.
    /// </summary>
    [Fact]
    public async Task Every_event_is_stored_found_and_alerted_once_after_the_broker_restarts() =>
        await platform.DrillAsync("restart-rabbitmq", platform.RestartRabbitMqAsync, output);

    /// <summary>
    /// Postgres stopped (a fast shutdown) and started again while events flow: every service's work waits for the
    /// database in place (the bus's retry of transient database failures, the shards' retries, the leased workers),
    /// nothing is lost or done twice.
    /// </summary>
    [Fact]
    public async Task Every_event_is_stored_found_and_alerted_once_after_postgres_restarts() =>
        await platform.DrillAsync("restart-postgres", platform.RestartPostgresAsync, output);
}
