using Xunit.Abstractions;

namespace Platform.Faults.Tests;

/// <summary>
/// <c>kill -9</c> of a service while events flow, then the AppHost's start command, as a supervisor restarts a
/// crashed process: nothing it had taken in is lost or handled twice.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class Killing_a_service_while_events_flow(SingleInstancePlatform platform, ITestOutputHelper output)
{
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
            await platform.WaitUntilHealthyAsync(service);
        }, output);
}
