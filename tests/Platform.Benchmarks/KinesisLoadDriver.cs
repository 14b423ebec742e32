using Platform.Ingestion.Storage;
using Platform.Kinesis;
using Amazon.Runtime;
using Platform.Ingestion;
using Platform.Ingestion.Kinesis;
using Platform.Ingestion.Pipeline;

namespace Platform.Benchmarks;

/// <summary>
/// End to end from Kinesis into the store: puts N CloudTrail events (in subscription payloads of
/// <c>--per-payload</c> events) into a fresh two-shard kinesalite stream, boots the ingestion service on it, and
/// measures how fast the backlog drains into Postgres. Uses the test servers (PLATFORM_TEST_POSTGRES, _RABBITMQ, _KINESIS).
/// <code>dotnet run -c Release --project tests/Platform.Benchmarks -- load-kinesis --events 200000</code>
/// </summary>
public static class KinesisLoadDriver
{
    public const string Verb = "load-kinesis";

    private static readonly AWSCredentials Credentials = new BasicAWSCredentials("load-access-key", "load-secret-key");
    private static readonly string[] HashKeys = ["0", "170141183460469231731687303715884105728"];

    public static async Task<int> RunAsync(string[] args)
    {
        var events = DriverArguments.Option(args, "--events", 200_000);
        var perPayload = DriverArguments.Option(args, "--per-payload", 100);
        var shards = DriverArguments.Option(args, "--shards", 2);

        var client = new KinesisClient(new HttpClient(), new KinesisEndpoint(TestServers.Kinesis, "us-east-1"), Credentials, TimeProvider.System);
        var stream = $"load-{Guid.NewGuid():N}"[..24];
        await client.CreateStreamAsync(stream, shards, CancellationToken.None);
        await client.WaitUntilActiveAsync(stream, TimeSpan.FromSeconds(30), CancellationToken.None);

        var put = Stopwatch.StartNew();
        var payloads = BuildPayloads(events, perPayload);
        await Parallel.ForEachAsync(payloads.Chunk(50).Select((chunk, i) => (chunk, i)), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (batch, ct) =>
        {
            var response = await client.PutRecordsAsync(stream,
                batch.chunk.Select(data => new PutRecordsRequestEntry(data, "key", HashKeys[batch.i % HashKeys.Length])).ToArray(), ct);
            if (response.FailedRecordCount is > 0)
            {
                throw new InvalidOperationException($"{response.FailedRecordCount} records were not put.");
            }
        });
        Console.WriteLine($"Put {events:N0} events in {payloads.Count:N0} payloads ({payloads.Sum(p => (long)p.Length) / 1_000_000.0:F1} MB gzip) into {stream} in {put.Elapsed.TotalSeconds:F1} s");

        await using var postgres = new PostgresServer();
        var database = await postgres.CreateDatabaseAsync("kinesisload");
        var settings = new Dictionary<string, string?>
        {
            [$"{KinesisSourceConfiguration.Section}:load:StreamName"] = stream,
            [$"{KinesisSourceConfiguration.Section}:load:Endpoint"] = TestServers.Kinesis.ToString(),
            [$"{KinesisSourceConfiguration.Section}:load:StartingPosition"] = "TRIM_HORIZON",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var run = Stopwatch.StartNew();
        await using var host = new ServiceHost<RawLogStore>(PlatformResources.IngestionDb, database, RabbitMqServer.NewEntityPrefix(), settings,
            services => services.AddSingleton(Credentials));
        _ = host.Services;
        Console.WriteLine($"Ingestion service started in {run.Elapsed.TotalSeconds:F1} s");

        // Progress from the service's own counter of events stored and published (a count over the table every
        // poll would load the Postgres being measured); the table is counted once at the end.
        using var accepted = new CounterSum(IngestionTelemetry.Name, "platform.ingestion.events.accepted");
        TimeSpan? firstAt = null;
        long firstCount = 0;
        long stored;
        var lastReport = TimeSpan.Zero;
        while ((stored = accepted.Count) < events)
        {
            if (firstAt is null && stored > 0)
            {
                (firstAt, firstCount) = (run.Elapsed, stored);
            }
            if (run.Elapsed - lastReport >= TimeSpan.FromSeconds(5))
            {
                lastReport = run.Elapsed;
                Console.WriteLine($"  {run.Elapsed.TotalSeconds,6:F1} s: {stored:N0} events stored");
            }
            if (run.Elapsed > TimeSpan.FromMinutes(10))
            {
                Console.Error.WriteLine($"Gave up after {run.Elapsed}: {stored:N0} of {events:N0} stored.");
                return 1;
            }
            await Task.Delay(10);
        }
        var drained = run.Elapsed;
        if (firstAt is null || stored == firstCount)
        {
            Console.Error.WriteLine($"All {stored:N0} events were stored at once: too few for a sustained rate (use more --events).");
            return 1;
        }
        var sustained = (stored - firstCount) / (drained - firstAt!.Value).TotalSeconds;
        Console.WriteLine($"Stored {stored:N0} events; from the first stored to the last: {(drained - firstAt.Value).TotalSeconds:F1} s = {sustained:N0} events/s sustained " +
            $"({events / drained.TotalSeconds:N0} events/s including start-up)");

        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var count = dataSource.CreateCommand("SELECT count(*) FROM log_events");
        var rows = (long)(await count.ExecuteScalarAsync())!;
        if (rows != events)
        {
            Console.Error.WriteLine($"The store holds {rows:N0} events, not {events:N0}.");
            return 1;
        }
        return 0;
    }

    /// <summary>Subscription payloads of the Stratus Red Team CloudTrail records, each event with a fresh eventID.</summary>
    private static List<byte[]> BuildPayloads(int events, int perPayload)
    {
        var records = SubscriptionMessages.StratusRecords();
        var payloads = new List<byte[]>();
        for (var made = 0; made < events; made += perPayload)
        {
            payloads.Add(CloudTrailPayloads.Payload(Enumerable.Range(made, Math.Min(perPayload, events - made)).Select(n =>
            {
                var record = records[n % records.Length].DeepClone().AsObject();
                record["eventID"] = Guid.NewGuid().ToString();
                return (n.ToString("D20", CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), record);
            })));
        }
        return payloads;
    }
}
