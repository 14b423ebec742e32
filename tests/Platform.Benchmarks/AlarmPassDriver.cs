using Platform.Alerting;
using Platform.Alerting.Alarms;
using Platform.Alerting.Metrics;

namespace Platform.Benchmarks;

/// <summary>
/// One minute pass over <c>--alarms</c> alarms (10,000 by default) in the real alerting service on the test servers
/// (PLATFORM_TEST_POSTGRES, _RABBITMQ): the alarms are written straight into its table, their metric data come from an
/// in-memory <see cref="IMetricStatistics"/> (the pass's own cost, not the metric store's), and each pass is timed:
/// the first moves every alarm out of INSUFFICIENT_DATA (an append and a row update each), the second changes nothing,
/// the third moves every alarm to the other state.
/// <code>dotnet run -c Release --project tests/Platform.Benchmarks -- alarm-pass --alarms 10000</code>
/// </summary>
public static class AlarmPassDriver
{
    public const string Verb = "alarm-pass";

    public static async Task<int> RunAsync(string[] args)
    {
        var count = DriverArguments.Option(args, "--alarms", 10_000);
        await using var postgres = new PostgresServer();
        var database = await postgres.CreateDatabaseAsync("alarmpass");
        var metrics = new FlippingMetricStatistics();
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Platform.Alerting.Alarms"] = "Warning",
            ["Logging:LogLevel:Platform.ServiceDefaults.Configuration"] = "Error",
        };
        await using var host = new ServiceHost<AlertingDbContext>(
            PlatformResources.AlertingDb, database, RabbitMqServer.NewEntityPrefix(), settings,
            services => services.AddSingleton<IMetricStatistics>(metrics));
        await host.WaitUntilHealthyAsync();

        await using (var dataSource = NpgsqlDataSource.Create(database))
        await using (var insert = dataSource.CreateCommand(
            """
            INSERT INTO alarms (name, version, provisioned_version, spec, metric_key, state_value, state_reason, state_updated_at)
            SELECT 'bench-' || i, 0, 1,
                   jsonb_build_object('AlarmName', 'bench-' || i, 'MetricName', 'Calls', 'Namespace', 'Bench',
                       'Dimensions', jsonb_build_array(jsonb_build_object('Name', 'i', 'Value', i::text)),
                       'Statistic', 'Sum', 'Period', 60, 'EvaluationPeriods', 1, 'DatapointsToAlarm', 1, 'Threshold', 5,
                       'ComparisonOperator', 'GreaterThanThreshold', 'TreatMissingData', 'missing', 'ActionsEnabled', true,
                       'AlarmActions', jsonb_build_array('security-alerts'), 'OKActions', '[]'::jsonb, 'InsufficientDataActions', '[]'::jsonb),
                   '', 'INSUFFICIENT_DATA', 'Unchecked: Initial alarm creation', now()
            FROM generate_series(1, $1) AS i
            """))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = count });
            await insert.ExecuteNonQueryAsync();
        }

        var pass = host.Services.GetRequiredService<AlarmMinutePass>();
        foreach (var (label, breaching) in new[] { ("every alarm leaves INSUFFICIENT_DATA", true), ("no alarm changes", true), ("every alarm changes state", false) })
        {
            metrics.Breaching = breaching;
            var watch = Stopwatch.StartNew();
            await pass.RunAsync(CancellationToken.None);
            watch.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{count} alarms, {label}: {watch.Elapsed.TotalMilliseconds:F0} ms ({count / watch.Elapsed.TotalSeconds:F0} alarms/s)"));
        }
        return 0;
    }

    /// <summary>Every alarm's metric has one datapoint in its last period: over the threshold (10) or under it (1).</summary>
    private sealed class FlippingMetricStatistics : IMetricStatistics
    {
        public bool Breaching { get; set; }

        public Task<IReadOnlyList<MetricPeriodValue>> GetAsync(MetricStatisticQuery query, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<MetricPeriodValue>>([new MetricPeriodValue(query.End - query.Period, Breaching ? 10 : 1)]);
    }
}
