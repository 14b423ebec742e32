using Platform.ServiceDefaults;

namespace Platform.Alerting.Tests;

/// <summary>
/// The alerting service on the real Postgres and RabbitMQ with a fake clock and a recording
/// <see cref="IMetricStatistics"/> (the metric seam), plus a bus of the test's own that hears AlarmStateChanged.
/// </summary>
public sealed class AlarmsHost : IAsyncLifetime
{
    /// <summary>Half a minute into 08:40 on 30 Nov 2026 (UTC): the clock every alarm test starts from.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 8, 40, 30, TimeSpan.Zero);

    private readonly PostgresServer _postgres = new();
    private readonly string _prefix = RabbitMqServer.NewEntityPrefix();
    private IBusControl? _bus;

    public FakeTimeProvider Clock { get; } = new(Start);

    public RecordingMetricStatistics Metrics { get; } = new();

    public ConcurrentQueue<AlarmStateChanged> Heard { get; } = new();

    public ServiceHost<AlertingDbContext> Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = new ServiceHost<AlertingDbContext>(
            PlatformResources.AlertingDb, _postgres.NewDatabaseConnectionString("alarms"), _prefix,
            configureServices: services =>
            {
                services.AddSingleton<TimeProvider>(Clock);
                services.AddSingleton<IMetricStatistics>(Metrics);
            });
        await Host.WaitUntilHealthyAsync();

        _bus = RabbitMqServer.CreateBus(_prefix, rabbit => rabbit.ReceiveEndpoint($"{_prefix}-test-alarm-states", endpoint =>
        {
            endpoint.AutoDelete = true;
            endpoint.Durable = false;
            endpoint.Handler<AlarmStateChanged>(context =>
            {
                Heard.Enqueue(context.Message);
                return Task.CompletedTask;
            });
        }));
        await _bus.StartAsync();
    }

    /// <summary>Provisions an alarm as provisioning does: its AlarmProvisioned on the broker.</summary>
    public async Task ProvisionAsync(string name, AlarmSpec spec, long version = 1)
    {
        await _bus!.Publish(new AlarmProvisioned(name, spec, version));
        using var client = Host.CreateAdminClient();
        var status = await Eventually.ObserveAsync(
            async () => (await client.GetAsync($"/v1/alarms/{Uri.EscapeDataString(name)}")).StatusCode, s => s == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    public Task PublishAsync<T>(T message) where T : class => _bus!.Publish(message);

    /// <summary>Tells the service, as the metrics part does after committing data points, that <paramref name="metric"/> got data.</summary>
    public Task MetricDataArrivedAsync(MetricIdentity metric) =>
        Host.Services.GetRequiredService<IMetricDataListener>().OnMetricDataAsync([metric], CancellationToken.None);

    public async Task DisposeAsync()
    {
        if (_bus is not null)
        {
            await _bus.StopAsync();
        }
        await Host.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AlarmsCollection : ICollectionFixture<AlarmsHost>
{
    public const string Name = "alarms";
}

/// <summary>
/// The metric seam as the tests need it: 1-minute data points they add, aggregated to the asked period and
/// statistic as the metrics part aggregates them.
/// </summary>
public sealed class RecordingMetricStatistics : IMetricStatistics
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<DateTimeOffset, List<double>>> _points = new();

    public void Add(MetricIdentity metric, DateTimeOffset minute, params double[] values) =>
        _points.GetOrAdd(AlarmMetricKey.Of(metric), _ => new()).AddOrUpdate(minute, _ => [.. values], (_, list) => [.. list, .. values]);

    public Task<IReadOnlyList<MetricPeriodValue>> GetAsync(MetricStatisticQuery query, CancellationToken cancellationToken)
    {
        var points = _points.GetValueOrDefault(AlarmMetricKey.Of(query.Metric));
        var result = new List<MetricPeriodValue>();
        for (var start = query.Start; start < query.End; start += query.Period)
        {
            var values = points?.Where(p => p.Key >= start && p.Key < start + query.Period).SelectMany(p => p.Value).ToList() ?? [];
            if (values.Count > 0)
            {
                result.Add(new MetricPeriodValue(start, query.Statistic switch
                {
                    "Sum" => values.Sum(),
                    "Average" => values.Average(),
                    "Minimum" => values.Min(),
                    "Maximum" => values.Max(),
                    _ => values.Count,
                }));
            }
        }
        return Task.FromResult<IReadOnlyList<MetricPeriodValue>>(result);
    }
}
