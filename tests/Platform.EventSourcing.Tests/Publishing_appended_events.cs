using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Platform.EventSourcing.Outbox;

namespace Platform.EventSourcing.Tests;

/// <summary>The outbox is the store: what commits is published through the real broker, at least once, in order per stream.</summary>
public sealed class Publishing_appended_events : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();
    private readonly List<IHost> _hosts = [];
    private string _database = null!;
    private readonly string _prefix = RabbitMqServer.NewEntityPrefix();

    public async Task InitializeAsync() => _database = await _postgres.CreateDatabaseAsync("outbox");

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }
        await _postgres.DisposeAsync();
    }

    private async Task<IHost> StartAsync(bool relay, bool consumer)
    {
        var host = TestStore.Build(_database, _prefix, relay, consumer);
        await host.StartAsync();
        _hosts.Add(host);
        return host;
    }

    private static string[] Things(int count) => Enumerable.Range(1, count).Select(i => $"t{i}").ToArray();

    private static void AssertInOrderPerStream(IEnumerable<(string Thing, int Sequence)> effects, int perThing)
    {
        foreach (var stream in effects.GroupBy(e => e.Thing))
        {
            Assert.Equal(Enumerable.Range(1, perThing), stream.Select(e => e.Sequence));
        }
    }

    [Fact]
    public async Task Every_committed_event_is_consumed_once_and_in_order_within_its_stream()
    {
        var host = await StartAsync(relay: true, consumer: true);

        await host.AppendThingsAsync(Things(5), perThing: 20);

        var effects = await Eventually.ObserveAsync(host.ReadEffectsAsync, e => e.Count >= 100);
        Assert.Equal(100, effects.Count);
        AssertInOrderPerStream(effects, 20);
        Assert.Equal(0, await host.CountUnpublishedAsync());
    }

    [Fact]
    public async Task Events_of_a_transaction_that_rolls_back_are_never_published()
    {
        var host = await StartAsync(relay: true, consumer: true);

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<EventStore>();
            await using var transaction = await store.Context.Database.BeginTransactionAsync();
            await store.AppendAsync("thing/ghost", ExpectedVersion.NoStream, [new ThingHappened("ghost", 1)], null, default);
            await store.Context.SaveChangesAsync();
            await transaction.RollbackAsync();
        }
        await host.AppendThingsAsync(["real"], perThing: 1);

        var effects = await Eventually.ObserveAsync(host.ReadEffectsAsync, e => e.Count >= 1);
        Assert.Equal([("real", 1)], effects);
    }

    [Fact]
    public async Task A_private_event_is_stored_but_not_queued_for_publishing()
    {
        var host = await StartAsync(relay: false, consumer: false);

        await host.WithStoreAsync(async store =>
        {
            await store.AppendAsync("thing/private", ExpectedVersion.NoStream, [new ThingRenamed("quiet")], null, default);
            return await store.Context.SaveChangesAsync();
        });

        Assert.Equal(0, await host.CountUnpublishedAsync());
    }

    [Fact]
    public async Task A_relay_killed_between_publish_and_acknowledgement_is_followed_by_one_that_republishes_and_the_inbox_keeps_effects_exactly_once()
    {
        var host = await StartAsync(relay: false, consumer: true);
        await host.AppendThingsAsync(Things(4), perThing: 10);

        // The first relay publishes some events, then dies before it can mark any of them published.
        using var kill = new CancellationTokenSource();
        var dying = new KillingPublisher(host.Services.GetRequiredService<IOutboxPublisher>(), publishesBeforeDeath: 15, kill);
        var firstRelay = NewRelay(host, dying);
        await firstRelay.RunAsync(kill.Token);
        Assert.Equal(15, dying.Published);
        Assert.Equal(40, await host.CountUnpublishedAsync());

        // A new relay takes over: everything is published, the first 15 a second time.
        using var stop = new CancellationTokenSource();
        var secondRelay = NewRelay(host, host.Services.GetRequiredService<IOutboxPublisher>()).RunAsync(stop.Token);
        var effects = await Eventually.ObserveAsync(host.ReadEffectsAsync, e => e.Count >= 40);
        var deliveries = await Eventually.ObserveAsync(
            () => Task.FromResult(host.Services.GetRequiredService<DeliveryLog>().Deliveries.Count), d => d >= 55);
        await stop.CancelAsync();
        await secondRelay;

        Assert.Equal(40, effects.Count);
        AssertInOrderPerStream(effects, 10);
        Assert.Equal(55, deliveries);
        Assert.Equal(0, await host.CountUnpublishedAsync());
    }

    [Fact]
    public async Task Two_relays_running_together_publish_each_event_once_and_the_standby_takes_over_when_the_active_one_stops()
    {
        var consumerHost = await StartAsync(relay: true, consumer: true);
        var otherRelayHost = await StartAsync(relay: true, consumer: false);

        await consumerHost.AppendThingsAsync(Things(10), perThing: 20);
        var effects = await Eventually.ObserveAsync(consumerHost.ReadEffectsAsync, e => e.Count >= 200);

        Assert.Equal(200, effects.Count);
        AssertInOrderPerStream(effects, 20);
        // Only one relay is active at a time, so not even a duplicate delivery happened.
        Assert.Equal(200, consumerHost.Services.GetRequiredService<DeliveryLog>().Deliveries.Count);

        // Whichever relay was active, stopping the other host's leaves one that carries on.
        await otherRelayHost.StopAsync();
        await consumerHost.AppendThingsAsync(["late"], perThing: 5);
        effects = await Eventually.ObserveAsync(consumerHost.ReadEffectsAsync, e => e.Count >= 205);
        Assert.Equal(205, effects.Count);
    }

    private static OutboxRelay NewRelay(IHost host, IOutboxPublisher publisher) => new(
        host.Services.GetRequiredService<NpgsqlDataSource>(),
        publisher,
        host.Services.GetRequiredService<EventStoreOptions>(),
        TimeProvider.System,
        host.Services.GetRequiredService<IMeterFactory>(),
        host.Services.GetRequiredService<ILogger<OutboxRelay>>());

    /// <summary>Publishes for real, then "dies": the relay is cancelled mid-batch before it marks anything.</summary>
    private sealed class KillingPublisher(IOutboxPublisher inner, int publishesBeforeDeath, CancellationTokenSource kill) : IOutboxPublisher
    {
        private int _published;

        public int Published => _published;

        public async Task PublishAsync(OutboxMessage message, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _published) > publishesBeforeDeath)
            {
                Interlocked.Decrement(ref _published);
                await kill.CancelAsync();
                throw new OperationCanceledException(kill.Token);
            }
            await inner.PublishAsync(message, CancellationToken.None);
        }
    }
}
