namespace Platform.Alerting.Tests;

/// <summary>A delivery interrupted by a stopping instance is sent by the next one, under the same idempotency key.</summary>
public sealed class Surviving_a_restart : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();

    [Fact]
    public async Task A_delivery_in_flight_when_the_service_stops_is_delivered_after_the_restart()
    {
        await using var listener = await WebhookListener.StartAsync();
        var answer = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.Respond = n => n == 1 ? answer.Task : Task.FromResult(200);
        var database = _postgres.NewDatabaseConnectionString("alerting");
        var prefix = RabbitMqServer.NewEntityPrefix();
        var topic = TestNames.Unique("restart");

        var first = DeliveryHost.Start(database, prefix);
        await first.WaitUntilReadyAsync();
        var bus = await DeliveryHost.StartBusAsync(prefix);
        try
        {
            await bus.Publish(new TopicProvisioned(topic, new TopicSpec([new TopicSubscription(TopicProtocols.Http, listener.Url)]), 1));
            await DeliveryHost.WaitUntilResolvedAsync(first, topic);
            await first.Services.GetRequiredService<IDeliveryScheduler>()
                .ScheduleAsync(topic, new DeliveryMessage("restart-1", "ALARM: restart", new JsonObject { ["n"] = 1 }), CancellationToken.None);
            // The first attempt reaches the listener, which holds its answer back while the service stops.
            await Eventually.ObserveAsync(() => Task.FromResult(listener.Received.Count), n => n == 1);
            await first.DisposeAsync();
            answer.SetResult(200);

            await using var second = DeliveryHost.Start(database, prefix);
            await second.WaitUntilReadyAsync();
            var delivered = await DeliveryHost.WaitForDeliveryAsync(second, topic, "restart-1", DeliveryStatus.Delivered);

            Assert.Equal(200, Assert.Single(delivered.AttemptLog!).StatusCode);
            Assert.Equal(2, listener.Received.Count);
            Assert.All(listener.Received, r => Assert.Equal("restart-1", r.Headers["Idempotency-Key"]));
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _postgres.DisposeAsync();
}
