namespace Platform.Alerting.Tests;

/// <summary>
/// The alerting service on the real Postgres and RabbitMQ with a fake clock and a recording
/// <see cref="IMetricStatistics"/> (the metric seam), plus a bus of the test's own that hears AlarmStateChanged.
/// </summary>
public sealed class AlarmsHost : ServiceFixture<AlertingDbContext>
{
    /// <summary>Half a minute into 08:40 on 30 Nov 2026 (UTC): the clock every alarm test starts from.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 8, 40, 30, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Start);

    public RecordingMetricStatistics Metrics { get; } = new();

    public ConcurrentQueue<AlarmStateChanged> Heard { get; } = new();

    protected override string Purpose => "alarms";

    public override ServiceHost<AlertingDbContext> StartHost() => new(
        PlatformResources.AlertingDb, ConnectionString, Prefix,
        configureServices: services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IMetricStatistics>(Metrics);
        });

    protected override void Hear(IRabbitMqReceiveEndpointConfigurator endpoint) => endpoint.OnEach<AlarmStateChanged>(Heard.Enqueue);

    /// <summary>Provisions an alarm as provisioning does: its AlarmProvisioned on the broker.</summary>
    public async Task ProvisionAsync(string name, AlarmSpec spec, long version = 1)
    {
        await PublishAsync(new AlarmProvisioned(name, spec, version));
        using var client = Host.CreateAdminClient();
        var status = await Eventually.ObserveAsync(
            async () => (await client.GetAsync($"/v1/alarms/{Uri.EscapeDataString(name)}")).StatusCode, s => s == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    /// <summary>Tells the service, as the metrics part does after committing data points, that <paramref name="metric"/> got data.</summary>
    public Task MetricDataArrivedAsync(MetricIdentity metric) =>
        Host.Services.GetRequiredService<IMetricDataListener>().OnMetricDataAsync([metric], CancellationToken.None);
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
