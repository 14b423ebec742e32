namespace Platform.Detection.Tests;

/// <summary>
/// A bus of the test's own on the real broker, with the services' entity prefix: publishes what other
/// services would publish and records the finding events detection publishes.
/// </summary>
public sealed class TestBus : IAsyncDisposable
{
    private readonly IBusControl _bus;

    private TestBus(IBusControl bus) => _bus = bus;

    public ConcurrentQueue<FindingRaised> Raised { get; } = new();

    public ConcurrentQueue<FindingUpdated> Updated { get; } = new();

    public ConcurrentQueue<FindingStatusChanged> StatusChanged { get; } = new();

    public static async Task<TestBus> StartAsync(string prefix)
    {
        TestBus? testBus = null;
        var bus = RabbitMqServer.CreateBus(prefix, rabbit =>
        {
            rabbit.ReceiveEndpoint($"{prefix}-test-findings-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                endpoint.Handler<FindingRaised>(context =>
                {
                    testBus!.Raised.Enqueue(context.Message);
                    return Task.CompletedTask;
                });
                endpoint.Handler<FindingUpdated>(context =>
                {
                    testBus!.Updated.Enqueue(context.Message);
                    return Task.CompletedTask;
                });
                endpoint.Handler<FindingStatusChanged>(context =>
                {
                    testBus!.StatusChanged.Enqueue(context.Message);
                    return Task.CompletedTask;
                });
            });
        });
        testBus = new TestBus(bus);
        await bus.StartAsync();
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
