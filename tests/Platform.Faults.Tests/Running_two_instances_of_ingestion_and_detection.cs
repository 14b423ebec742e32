using Xunit.Abstractions;

namespace Platform.Faults.Tests;

/// <summary>
/// Two ingestion and two detection instances share the stream's shards and the bus's queues: every event is still
/// stored, found and alerted exactly once, the same findings with the same counts as one instance gives, and when one
/// instance of each is killed the other carries on.
/// </summary>
public sealed class Running_two_instances_of_ingestion_and_detection(TwoInstancePlatform platform, ITestOutputHelper output)
    : IClassFixture<TwoInstancePlatform>
{
    [Fact]
    public async Task Two_instances_store_find_and_alert_every_event_once_as_one_instance_does() =>
        await platform.DrillAsync("two-instances", () => Task.CompletedTask, output);

    [Fact]
    public async Task When_one_of_two_instances_is_killed_the_other_carries_on_and_nothing_is_handled_twice() =>
        await platform.DrillAsync("kill-one-of-two", async () =>
        {
            var ingestion = await platform.KillAsync(PlatformResources.Ingestion, instances: 1);
            var detection = await platform.KillAsync(PlatformResources.Detection, instances: 1);
            await Task.Delay(TimeSpan.FromSeconds(5)); // the survivors take the shards and the queues over
            await platform.StartAsync([.. ingestion, .. detection]);
            await platform.WaitUntilHealthyAsync(PlatformResources.Ingestion, started: ingestion);
            await platform.WaitUntilHealthyAsync(PlatformResources.Detection, started: detection);
        }, output);
}
