using System.Net.Http.Headers;
using MassTransit;
using Platform.Archiver;
using Platform.Ingestion.Storage;

namespace Platform.Benchmarks;

/// <summary>
/// The archive against the hot store, end to end: boots ingestion and the archiver on the test servers
/// (PLATFORM_TEST_POSTGRES, _RABBITMQ, _S3) on one broker prefix, posts <c>--events</c> CloudTrail records (the sample
/// records, each with an id and time of its own, over a few hours) to ingestion as subscription payloads of
/// <c>--batch</c> events, waits until the archiver has buffered them all, then times <c>POST /v1/archive/flush</c>:
/// building the Parquet files and uploading them to s3rver. Reports the archive's bytes (the objects in the bucket)
/// against the hot store's (ingestion's <c>log_events</c> partitions and <c>ingested_event_ids</c>, with indexes and
/// TOAST), per million events, and the archive's write throughput.
/// <code>dotnet run -c Release --project tests/Platform.Benchmarks -- archive --events 100000 --batch 1000</code>
/// </summary>
public static class ArchiveDriver
{
    public const string Verb = "archive";

    private static readonly DateTimeOffset Start = new(2020, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string[] args)
    {
        var count = DriverArguments.Option(args, "--events", 100_000);
        var batchSize = DriverArguments.Option(args, "--batch", 1000);
        var templates = RuleEvaluationBenchmark.CloudTrailRecords().Select(r => JsonNode.Parse(r.GetRawText())!.AsObject()).ToList();

        await using var postgres = new PostgresServer();
        using var bucket = await S3TestBucket.CreateAsync();
        var prefix = RabbitMqServer.NewEntityPrefix();
        var quiet = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Platform.ServiceDefaults.Configuration"] = "Error",
            [Platform.ServiceDefaults.Auth.ApiKeyAuthenticationExtensions.IngestRequestsPerSecondSetting] = "100000",
        };
        await using var ingestion = new ServiceHost<RawLogStore>(PlatformResources.IngestionDb, await postgres.CreateDatabaseAsync("archiveingestion"), prefix, quiet);
        await using var archiver = new ServiceHost<ArchiverOptions>(PlatformResources.ArchiverDb, await postgres.CreateDatabaseAsync("archiver"), prefix,
            new Dictionary<string, string?>(quiet.Concat(bucket.ArchiverSettings(TestServers.S3.ToString()))));
        await Task.WhenAll(ingestion.WaitUntilHealthyAsync(), archiver.WaitUntilHealthyAsync());
        while (archiver.Services.GetRequiredService<IBusControl>().CheckHealth().Status != BusHealthStatus.Healthy)
        {
            await Task.Delay(50);
        }

        using var ingest = ingestion.CreateAdminClient();
        var recordBytes = 0L;
        var posting = Stopwatch.StartNew();
        for (var first = 0; first < count; first += batchSize)
        {
            var events = new List<JsonObject>();
            for (var i = first; i < Math.Min(count, first + batchSize); i++)
            {
                var record = templates[i % templates.Count].DeepClone().AsObject();
                record["eventID"] = $"archive-{i:D9}";
                // Four hours of events: four partitions' files per account and region.
                record["eventTime"] = Start.AddMilliseconds(i * (4 * 3600_000.0 / count)).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
                var message = record.ToJsonString();
                recordBytes += System.Text.Encoding.UTF8.GetByteCount(message);
                events.Add(SubscriptionMessages.LogEvent($"cw-{i}", Start.ToUnixTimeMilliseconds(), message));
            }
            using var content = new ByteArrayContent(SubscriptionMessages.Gzip(SubscriptionMessages.DataMessage(events, "aws-cloudtrail-logs")));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await ingest.PostAsync("/v1/ingest/cloudwatch-logs", content);
            response.EnsureSuccessStatusCode();
        }
        var archiverDb = archiver.Services.GetRequiredService<NpgsqlDataSource>();
        long buffered;
        do
        {
            await Task.Delay(200);
            await using var command = archiverDb.CreateCommand("SELECT coalesce(sum(events), 0) FROM archive_batches");
            buffered = (long)(await command.ExecuteScalarAsync())!;
        }
        while (buffered < count && posting.Elapsed < TimeSpan.FromMinutes(20));
        Console.WriteLine($"{count:N0} CloudTrail events ({recordBytes / (double)count:N0} bytes of JSON each) ingested and buffered for the archive in {posting.Elapsed.TotalSeconds:F1} s = {count / posting.Elapsed.TotalSeconds:N0} events/s");

        using var admin = archiver.CreateAdminClient();
        admin.Timeout = TimeSpan.FromMinutes(30); // one flush writes every file of the run
        // The signing key exists before the clock starts (a generated one takes a moment once).
        (await admin.GetAsync("/v1/archive/public-key")).EnsureSuccessStatusCode();
        var flushing = Stopwatch.StartNew();
        using var flushed = await admin.PostAsync("/v1/archive/flush", null);
        flushed.EnsureSuccessStatusCode();
        var pass = JsonDocument.Parse(await flushed.Content.ReadAsStringAsync()).RootElement;
        var elapsed = flushing.Elapsed;
        var archived = pass.GetProperty("eventsArchived").GetInt64();

        var objects = await bucket.KeysAsync("archive/");
        long archiveBytes = 0;
        foreach (var key in objects.Where(k => k.EndsWith(".parquet", StringComparison.Ordinal)))
        {
            archiveBytes += (await bucket.ReadAsync(key)).LongLength;
        }
        await using var hot = ingestion.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("""
            SELECT (SELECT coalesce(sum(pg_total_relation_size(i.inhrelid)), 0) FROM pg_inherits i WHERE i.inhparent = 'log_events'::regclass)
                 + pg_total_relation_size('ingested_event_ids')
            """);
        var hotBytes = Convert.ToInt64(await hot.ExecuteScalarAsync(), CultureInfo.InvariantCulture);

        double PerMillion(long bytes) => bytes / (double)count * 1_000_000 / (1024 * 1024);
        Console.WriteLine($"Archive write: {archived:N0} events in {pass.GetProperty("filesWritten").GetInt32()} files in {elapsed.TotalSeconds:F2} s = {archived / elapsed.TotalSeconds:N0} events/s, {recordBytes / elapsed.TotalSeconds / (1024 * 1024):N1} MB/s of records (Parquet + SHA-256 + PUT to s3rver, digest signed)");
        Console.WriteLine($"Storage per million CloudTrail events: archive {PerMillion(archiveBytes):N0} MB (Parquet, Zstandard), hot store {PerMillion(hotBytes):N0} MB (Postgres, with indexes), JSON records {PerMillion(recordBytes):N0} MB; the archive is {archiveBytes / (double)hotBytes:P1} of the hot store");
        return archived == count ? 0 : 1;
    }
}
