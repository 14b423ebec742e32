namespace Platform.Alerting.Tests;

/// <summary>
/// Without <c>AllowPrivateTargets</c>, a target that resolves to an internal address is refused when sending, after DNS
/// resolution: recorded as failed, never called, never retried.
/// </summary>
public sealed class Refusing_internal_targets : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();
    private readonly string _prefix = RabbitMqServer.NewEntityPrefix();
    private ServiceHost<AlertingDbContext> _host = null!;
    private MassTransit.IBusControl _bus = null!;

    [Theory]
    [InlineData("127.0.0.1", "'127.0.0.1' resolves to 127.0.0.1, which is a loopback address")]
    [InlineData("localhost", "'localhost' resolves to ")]
    public async Task A_webhook_that_resolves_to_loopback_is_refused_and_never_called(string host, string reason)
    {
        await using var listener = await WebhookListener.StartAsync();
        var topic = TestNames.Unique("internal");
        await _bus.Publish(new TopicProvisioned(
            topic, new TopicSpec([new TopicSubscription(TopicProtocols.Http, $"http://{host}:{listener.Port}/hook")]), 1));
        await DeliveryHost.WaitUntilResolvedAsync(_host, topic);

        await _host.Services.GetRequiredService<IDeliveryScheduler>()
            .ScheduleAsync(topic, new DeliveryMessage("internal-1", "ALARM: internal", new JsonObject { ["n"] = 1 }), CancellationToken.None);

        var failed = await DeliveryHost.WaitForDeliveryAsync(_host, topic, "internal-1", DeliveryStatus.Failed);
        Assert.StartsWith(reason, failed.LastError);
        Assert.Contains("AllowPrivateTargets", failed.LastError);
        Assert.Single(failed.AttemptLog!);
        Assert.Empty(listener.Received);
    }

    public async Task InitializeAsync()
    {
        _bus = await DeliveryHost.StartBusAsync(_prefix);
        _host = DeliveryHost.Start(_postgres.NewDatabaseConnectionString("alerting"), _prefix, allowPrivateTargets: false);
        await _host.WaitUntilReadyAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _bus.StopAsync();
        await _postgres.DisposeAsync();
    }
}
