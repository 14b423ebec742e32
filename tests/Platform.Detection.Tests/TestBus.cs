namespace Platform.Detection.Tests;

/// <summary>
/// A bus of the test's own on the real broker, with the services' entity prefix: publishes what other
/// services would publish and records the finding events detection publishes.
/// </summary>
public sealed class TestBus : IAsyncDisposable
{
    private readonly IBusControl _bus;

    private TestBus(string prefix) =>
        _bus = RabbitMqServer.CreateBus(prefix, $"{prefix}-test-findings-{Guid.NewGuid():N}", endpoint =>
        {
            endpoint.OnEach<FindingRaised>(Raised.Enqueue);
            endpoint.OnEach<FindingUpdated>(Updated.Enqueue);
            endpoint.OnEach<FindingStatusChanged>(StatusChanged.Enqueue);
            endpoint.OnEach<RetroHuntRequested>(HuntsRequested.Enqueue);
            endpoint.OnEach<RetroHuntCancelled>(HuntsCancelled.Enqueue);
            endpoint.OnEach<CloudTrailInsightEvent>(Insights.Enqueue);
        });

    public ConcurrentQueue<FindingRaised> Raised { get; } = new();

    public ConcurrentQueue<FindingUpdated> Updated { get; } = new();

    public ConcurrentQueue<FindingStatusChanged> StatusChanged { get; } = new();

    /// <summary>What detection asks ingestion for: the test plays ingestion's part of a retro-hunt.</summary>
    public ConcurrentQueue<RetroHuntRequested> HuntsRequested { get; } = new();

    public ConcurrentQueue<RetroHuntCancelled> HuntsCancelled { get; } = new();

    /// <summary>CloudTrail Insights events detection raised.</summary>
    public ConcurrentQueue<CloudTrailInsightEvent> Insights { get; } = new();

    public static async Task<TestBus> StartAsync(string prefix)
    {
        var testBus = new TestBus(prefix);
        await testBus._bus.StartAsync();
        return testBus;
    }

    public Task PublishAsync<T>(T message, Guid? messageId = null) where T : class =>
        _bus.Publish(message, context =>
        {
            if (messageId is { } id)
            {
                context.MessageId = id;
            }
        });

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
