using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using NpgsqlTypes;
using Platform.Database;
using Platform.Database.Queries;
using Platform.Ingestion.Pipeline;
using Platform.Ingestion.Queries;
using Platform.LogsInsights;

namespace Platform.Benchmarks;

/// <summary>
/// <c>stats count(*) by eventName</c> over <c>--events</c> stored CloudTrail events (1,000,000 by default), written
/// with binary COPY into a migrated ingestion database on the test Postgres (PLATFORM_TEST_POSTGRES), run through
/// ingestion's <see cref="QueryRuns"/> (read-only role, read-only transaction) as the API runs it, against two
/// baselines in the same run: a GROUP BY over the normalised <c>event_name</c> column, and the same GROUP BY reading
/// <c>eventName</c> out of each record's JSON (the work the query language must do for any field).
/// <code>dotnet run -c Release --project tests/Platform.Benchmarks -- insights-stats --events 1000000 --runs 3</code>
/// </summary>
public static class InsightsStatsDriver
{
    public const string Verb = "insights-stats";

    private const string LogGroup = "/aws/cloudtrail/logs";

    private static readonly DateTimeOffset Origin = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string[] args)
    {
        var events = DriverArguments.Option(args, "--events", 1_000_000);
        var runs = DriverArguments.Option(args, "--runs", 3);
        await using var postgres = new PostgresServer();
        var database = await postgres.CreateDatabaseAsync("insightsbench");
        await using var dataSource = NpgsqlDataSource.Create(database);
        var options = new DatabaseOptions { ConnectionString = database };
        options.Migrations.AddRange(MigrationScript.FromAssembly(typeof(QueryRuns).Assembly, PlatformResources.Ingestion));
        await new SchemaMigrator(dataSource, options, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);

        var watch = Stopwatch.StartNew();
        var bytes = await CopyAsync(dataSource, events);
        Console.WriteLine($"stored {events:N0} events ({bytes / 1024 / 1024:N0} MiB of records) with binary COPY in {watch.Elapsed.TotalSeconds:N1} s");
        await using (var analyze = dataSource.CreateCommand("VACUUM ANALYZE log_events"))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        var scope = new InsightsScope(Origin, Origin.AddDays(1), [LogGroup]);
        var compiled = InsightsCompiler.Compile(InsightsParser.Parse("stats count(*) by eventName"), scope);
        var range = "event_time >= $1 AND event_time <= $2 AND log_group = ANY($3)";
        object[] parameters = [Origin, Origin.AddDays(1), new[] { LogGroup }];
        var column = new SqlStatement($"SELECT event_name, count(*) FROM log_events WHERE {range} GROUP BY event_name", parameters, ["eventName", "count(*)"]);
        var json = new SqlStatement(
            $"SELECT coalesce(document, record)::jsonb ->> 'eventName', count(*) FROM log_events WHERE {range} GROUP BY 1", parameters, ["eventName", "count(*)"]);

        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var queryRuns = new QueryRuns(
            dataSource, new QueryRunOptions { StatementTimeout = TimeSpan.FromMinutes(30) }, new IngestionTelemetry(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            TimeProvider.System, NullLogger<QueryRuns>.Instance, new NoLifetime());
        foreach (var (label, statement, countFirst) in new[]
        {
            ("baseline: GROUP BY event_name (column)", column, false),
            ("baseline: GROUP BY record's eventName (JSON)", json, false),
            ("insights: stats count(*) by eventName", compiled.Statement, true),
        })
        {
            var times = new List<double>();
            QueryRunSnapshot? last = null;
            for (var i = 0; i < runs; i++)
            {
                var run = queryRuns.Start(new QueryRunRequest("bench", statement, countFirst ? compiled.Scope : null, 10_000))!;
                var started = Stopwatch.StartNew();
                while ((last = queryRuns.Find("bench", run.Id)!).FinishedAt is null)
                {
                    await Task.Delay(5);
                }
                times.Add(started.Elapsed.TotalMilliseconds);
            }
            var median = times.Order().ElementAt(times.Count / 2);
            Console.WriteLine(
                $"{label}: {last!.Status}, {last.Rows.Count} groups, median {median:N0} ms of [{string.Join(", ", times.Select(t => t.ToString("N0", CultureInfo.InvariantCulture)))}] " +
                $"= {events / (median / 1000):N0} events/s");
        }
        return 0;
    }

    /// <summary>CloudTrail records of 40 event names from 50 principals over one day, stored as ingestion stores them.</summary>
    private static async Task<long> CopyAsync(NpgsqlDataSource dataSource, int events)
    {
        await using (var partition = dataSource.CreateCommand("CREATE TABLE log_events_bench PARTITION OF log_events FOR VALUES FROM (MINVALUE) TO (MAXVALUE)"))
        {
            await partition.ExecuteNonQueryAsync();
        }
        var names = Enumerable.Range(0, 40).Select(i => ((i % 4) switch { 0 => "Get", 1 => "List", 2 => "Describe", _ => "Put" }) + "Thing" + i).ToArray();
        long bytes = 0;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY log_events (event_id, source_type, event_time, ingested_at, log_group, log_stream, event_name, principal, source_ip, source, record) FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < events; i++)
        {
            var time = Origin.AddMilliseconds(i * (86_400_000.0 / events));
            var (name, principal, ip) = (names[i * 7 % names.Length], $"arn:aws:iam::123456789012:user/user{i % 50}", $"10.{i % 200}.{i % 250}.{i % 240}");
            var record =
                $$"""{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDA{{(i % 50).ToString("D8", CultureInfo.InvariantCulture)}}","arn":"{{principal}}","accountId":"123456789012","userName":"user{{i % 50}}"},"eventTime":"{{time:yyyy-MM-ddTHH:mm:ssZ}}","eventSource":"s3.amazonaws.com","eventName":"{{name}}","awsRegion":"us-east-1","sourceIPAddress":"{{ip}}","userAgent":"aws-cli/2.13.0 Python/3.11.4","requestParameters":{"bucketName":"bucket-{{i % 100}}","key":"objects/{{i}}"},"responseElements":null,"requestID":"{{i:X16}}","eventID":"{{Guid.NewGuid()}}","readOnly":true,"eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"123456789012"}""";
            bytes += record.Length;
            await writer.StartRowAsync();
            await writer.WriteAsync(Guid.NewGuid().ToString("N"), NpgsqlDbType.Text);
            await writer.WriteAsync("cloudtrail", NpgsqlDbType.Text);
            await writer.WriteAsync(time, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(time, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(LogGroup, NpgsqlDbType.Text);
            await writer.WriteAsync("123456789012_CloudTrail_us-east-1", NpgsqlDbType.Text);
            await writer.WriteAsync(name, NpgsqlDbType.Text);
            await writer.WriteAsync(principal, NpgsqlDbType.Text);
            await writer.WriteAsync(ip, NpgsqlDbType.Text);
            await writer.WriteAsync("bench", NpgsqlDbType.Text);
            await writer.WriteAsync(record, NpgsqlDbType.Text);
        }
        await writer.CompleteAsync();
        return bytes;
    }

    private sealed class NoLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
