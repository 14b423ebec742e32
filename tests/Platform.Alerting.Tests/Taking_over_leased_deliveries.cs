namespace Platform.Alerting.Tests;

/// <summary>
/// A sender's lease on a delivery is short and lasts only while its holder renews it: a holder that stops renewing (it
/// died) loses the delivery to another sender within one lease, which sends it under the same idempotency key and
/// marks it taken over; a holder that renews keeps it however long its send takes. The lease runs on a fake clock.
/// </summary>
public sealed class Taking_over_leased_deliveries : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(9);

    private readonly PostgresServer _postgres = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 4, 0, 0, TimeSpan.Zero));
    private readonly string _prefix = RabbitMqServer.NewEntityPrefix();
    private string _database = null!;
    private readonly string _topic = TestNames.Unique("lease");
    private WebhookListener _listener = null!;
    private ServiceHost<AlertingDbContext> _host = null!;
    private IBusControl _bus = null!;

    [Fact]
    public async Task A_holder_that_stops_renewing_loses_its_deliveries_within_the_lease()
    {
        var store = _host.Services.GetRequiredService<DeliveryStore>();
        var subscriber = Assert.Single(_host.Services.GetRequiredService<DeliveryTargets>().Resolve(_topic, out _)!);
        // Due an hour from now, so the running sender leaves it to the holder that is about to die.
        var due = _clock.GetUtcNow().AddHours(1);
        await store.InsertAsync(
            [new DeliveryStore.NewDelivery(_topic, subscriber.Key, subscriber.Protocol, subscriber.Endpoint, subscriber.Resource, DeliveryStatus.Pending, null)],
            "lease-dead-holder", "ALARM: lease", """{"n":1}""", due, CancellationToken.None);
        var dead = WorkLease.Take(due, Lease);
        var held = Assert.Single(await store.LeaseDueAsync(due, dead, 16, CancellationToken.None));
        Assert.False(held.TakenOver);

        // Within its lease, no other sender takes it.
        _clock.SetUtcNow(dead.Until - TimeSpan.FromSeconds(1));
        Assert.Empty(await store.LeaseDueAsync(_clock.GetUtcNow(), WorkLease.Take(_clock.GetUtcNow(), Lease), 16, CancellationToken.None));

        // Its lease runs out unrenewed: the running sender takes the delivery over and sends it.
        _clock.SetUtcNow(dead.Until + TimeSpan.FromMilliseconds(1));
        var delivered = await DeliveryHost.WaitForDeliveryAsync(_host, _topic, "lease-dead-holder", DeliveryStatus.Delivered);

        Assert.Equal(1, delivered.TakenOver);
        Assert.Equal(200, Assert.Single(delivered.AttemptLog!).StatusCode);
        Assert.Equal("lease-dead-holder", Assert.Single(_listener.Received).Headers["Idempotency-Key"]);
        // The dead holder's attempt, recorded late, is not recorded over the new holder's.
        Assert.False(await store.RecordAttemptAsync(held, due, TimeSpan.Zero, new AttemptResult(true, 200, null, null),
            DeliveryStatus.Delivered, due, _clock.GetUtcNow(), CancellationToken.None));
    }

    [Fact]
    public async Task A_holder_that_renews_keeps_its_deliveries_past_the_lease()
    {
        var answer = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _listener.Respond = _ => answer.Task;
        await _host.Services.GetRequiredService<IDeliveryScheduler>()
            .ScheduleAsync(_topic, new DeliveryMessage("lease-live-holder", "ALARM: lease", new JsonObject { ["n"] = 2 }), CancellationToken.None);
        // The sender has leased it and waits for the subscriber's answer.
        await Eventually.ObserveAsync(() => Task.FromResult(_listener.Received.Count), n => n == 1);
        var leasedAt = _clock.GetUtcNow();

        // Two leases' time passes while the send goes on, a second at a time, each with a real pause for the renewal the
        // step may be due (one every third of a lease; a renewal that fails is tried again a third later, well inside
        // the lease): at no point can another sender lease the delivery. Without renewal it could from the 10th second.
        var store = _host.Services.GetRequiredService<DeliveryStore>();
        while (_clock.GetUtcNow() < leasedAt + 2 * Lease)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = _clock.GetUtcNow();
            var until = await LeaseUntilAsync();
            Assert.True((await store.LeaseDueAsync(now, WorkLease.Take(now, Lease), 16, CancellationToken.None)).Count == 0,
                $"at {now - leasedAt} into the send, another sender could lease the delivery: its lease ran out at {until - leasedAt}");
        }

        answer.SetResult(200);
        var delivered = await DeliveryHost.WaitForDeliveryAsync(_host, _topic, "lease-live-holder", DeliveryStatus.Delivered);
        Assert.Equal(0, delivered.TakenOver);
        Assert.Equal(200, Assert.Single(delivered.AttemptLog!).StatusCode);
        Assert.Single(_listener.Received);
    }

    private async Task<DateTimeOffset?> LeaseUntilAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var query = new Npgsql.NpgsqlCommand("SELECT lease_until FROM deliveries WHERE idempotency_key = 'lease-live-holder'", connection);
        return await query.ExecuteScalarAsync() is DateTime until ? new DateTimeOffset(until, TimeSpan.Zero) : null;
    }

    public async Task InitializeAsync()
    {
        _listener = await WebhookListener.StartAsync();
        var settings = DeliveryHost.Settings();
        settings[$"{DeliveryOptions.Section}:Lease"] = Lease.ToString();
        // The held answer must not time out (in real time) while the fake clock runs through the leases.
        settings[$"{DeliveryOptions.Section}:AttemptTimeout"] = "00:05:00";
        _database = _postgres.NewDatabaseConnectionString("alerting");
        _host = new ServiceHost<AlertingDbContext>(PlatformResources.AlertingDb, _database, _prefix, settings,
            services => services.AddSingleton<TimeProvider>(_clock));
        await _host.WaitUntilReadyAsync();
        _bus = await DeliveryHost.StartBusAsync(_prefix);
        await _bus.Publish(new TopicProvisioned(_topic, new TopicSpec([new TopicSubscription(TopicProtocols.Http, _listener.Url)]), 1));
        await DeliveryHost.WaitUntilResolvedAsync(_host, _topic);
    }

    public async Task DisposeAsync()
    {
        await _bus.StopAsync();
        await _host.DisposeAsync();
        await _listener.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
