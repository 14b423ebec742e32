using Xunit.Abstractions;

namespace Platform.Faults.Tests;

/// <summary>
/// The broker or the database restarted through the AppHost's restart command while events flow: the services
/// reconnect by themselves, and nothing in flight is lost or handled twice.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class Restarting_a_server_while_events_flow(SingleInstancePlatform platform, ITestOutputHelper output)
{
    [Theory]
    [InlineData(PlatformResources.RabbitMq)]
    [InlineData(PlatformResources.Postgres)]
    public async Task Every_event_is_stored_found_and_alerted_once_after_the_server_restarts(string server) =>
        await platform.DrillAsync($"restart-{server}", async () =>
        {
            await platform.RestartAsync(server);
            await platform.WaitUntilHealthyAsync(server);
        }, output);
}
