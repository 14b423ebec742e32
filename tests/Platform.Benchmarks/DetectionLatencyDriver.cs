using System.Collections.Concurrent;
using MassTransit;
using Platform.Contracts.Detection;
using Platform.Contracts.Ingestion;
using Platform.Detection;
using Platform.Detection.Evaluation;
using Platform.Contracts;
using Platform.Http;

namespace Platform.Benchmarks;

/// <summary>
/// Latency from ingestion to finding: boots the detection service on the test servers (PLATFORM_TEST_POSTGRES,
/// _RABBITMQ), publishes <c>LogEventsIngested</c> batches at <c>--rate</c> events/s for <c>--seconds</c>, of which one
/// event in <c>--match-every</c> matches rules (a CreateAccessKey by a principal of its own, so each raises findings)
/// and the rest are sample CloudTrail records no rule matches, and times each <c>FindingRaised</c>/<c>FindingUpdated</c>
/// from its batch's <c>IngestedAt</c> (set at publish) to its receipt. Consumer lag: batches published but not yet
/// evaluated (the service's inbox), sampled every second. Findings of the first <c>--warmup</c> seconds (JIT, connection
/// pools) are not timed.
/// <code>dotnet run -c Release --project tests/Platform.Benchmarks -- detection-latency --rate 5000 --seconds 20</code>
/// </summary>
public static class DetectionLatencyDriver
{
    public const string Verb = "detection-latency";

    public static async Task<int> RunAsync(string[] args)
    {
        var rate = DriverArguments.Option(args, "--rate", 5000);
        var seconds = DriverArguments.Option(args, "--seconds", 20);
        var batchSize = DriverArguments.Option(args, "--batch", 250);
        var matchEvery = DriverArguments.Option(args, "--match-every", 100);
        var warmup = TimeSpan.FromSeconds(DriverArguments.Option(args, "--warmup", 3));

        var (noise, matching) = Samples();
        Console.WriteLine($"{noise.Count} sample records match no rule; matching template: {matching["eventName"]}");

        await using var postgres = new PostgresServer();
        var database = await postgres.CreateDatabaseAsync("detectionlatency");
        var prefix = RabbitMqServer.NewEntityPrefix();
        var published = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var latencies = new ConcurrentBag<double>();
        var raised = 0;
        var updated = 0;
        void Received(IEnumerable<FindingEvidence> evidence, ref int counter)
        {
            var now = DateTimeOffset.UtcNow;
            Interlocked.Increment(ref counter);
            // The latest of our events behind the change is the one whose batch caused it.
            var ingestedAt = evidence.Select(e => published.TryGetValue(e.EventId, out var at) ? at : (DateTimeOffset?)null).Max();
            if (ingestedAt is { } at)
            {
                latencies.Add((now - at).TotalMilliseconds);
            }
        }

        var bus = RabbitMqServer.CreateBus(prefix, $"{prefix}-latency-findings", endpoint =>
        {
            endpoint.OnEach<FindingRaised>(finding => Received(finding.Evidence, ref raised));
            endpoint.OnEach<FindingUpdated>(finding => Received(finding.LatestEvidence, ref updated));
        });
        await bus.StartAsync();
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Warning",
                // No provisioning service runs here: its unanswered catch-up requests are expected.
                ["Logging:LogLevel:Platform.ServiceDefaults.Configuration"] = "Error",
            };
            await using var host = new ServiceHost<DetectionDbContext>(PlatformResources.DetectionDb, database, prefix, settings);
            var started = Stopwatch.StartNew();
            var hostBus = host.Services.GetRequiredService<IBusControl>();
            while (hostBus.CheckHealth().Status != BusHealthStatus.Healthy)
            {
                await Task.Delay(50);
            }
            Console.WriteLine($"Detection service started in {started.Elapsed.TotalSeconds:F1} s");

            await using var dataSource = NpgsqlDataSource.Create(database);
            var run = Stopwatch.StartNew();
            var duration = warmup + TimeSpan.FromSeconds(seconds);
            long sent = 0;
            var batches = 0;
            var matchingSent = 0;
            var maxLag = 0L;
            var nextSample = TimeSpan.FromSeconds(1);
            while (run.Elapsed < duration)
            {
                var due = (long)(run.Elapsed.TotalSeconds * rate);
                while (sent + batchSize <= due)
                {
                    var events = new List<NormalizedLogEvent>(batchSize);
                    var matchingIds = new List<string>();
                    for (var i = 0; i < batchSize; i++, sent++)
                    {
                        if (sent % matchEvery == 0)
                        {
                            var logEvent = Matching(matching, sent);
                            matchingIds.Add(logEvent.EventId);
                            events.Add(logEvent);
                        }
                        else
                        {
                            events.Add(noise[(int)(sent % noise.Count)] with { EventId = $"noise-{sent}" });
                        }
                    }

                    var message = new LogEventsIngested(Guid.NewGuid(), "latency", DateTimeOffset.UtcNow, events);
                    if (run.Elapsed >= warmup)
                    {
                        foreach (var id in matchingIds)
                        {
                            published[id] = message.IngestedAt;
                        }
                        matchingSent += matchingIds.Count;
                    }
                    await bus.Publish(message);
                    batches++;
                }

                if (run.Elapsed >= nextSample)
                {
                    var lag = batches - await EvaluatedBatchesAsync(dataSource);
                    maxLag = Math.Max(maxLag, lag);
                    Console.WriteLine($"  {run.Elapsed.TotalSeconds,5:F1} s: {sent:N0} events in {batches:N0} batches published, lag {lag} batches, {raised + updated:N0} finding events");
                    nextSample += TimeSpan.FromSeconds(1);
                }

                await Task.Delay(5);
            }

            var publishedFor = run.Elapsed;
            while (await EvaluatedBatchesAsync(dataSource) < batches && run.Elapsed < publishedFor + TimeSpan.FromMinutes(2))
            {
                await Task.Delay(20);
            }
            var drained = run.Elapsed - publishedFor;
            // Findings of the last batches are published by the outbox relay after their commit.
            var settle = Stopwatch.StartNew();
            while (latencies.Count < matchingSent && settle.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20);
            }

            var sorted = latencies.Order().ToArray();
            Console.WriteLine($"Published {sent:N0} events ({matchingSent:N0} matching after the warm-up) in {batches:N0} batches of {batchSize} over {publishedFor.TotalSeconds:F1} s = {sent / publishedFor.TotalSeconds:N0} events/s");
            Console.WriteLine($"Consumer lag: at most {maxLag} batches ({maxLag * batchSize:N0} events) at the 1 s samples; the backlog was evaluated {drained.TotalMilliseconds:F0} ms after the last publish");
            Console.WriteLine($"Finding events received: {raised:N0} FindingRaised, {updated:N0} FindingUpdated, {sorted.Length:N0} timed");
            if (sorted.Length > 0)
            {
                Console.WriteLine($"Latency IngestedAt -> finding event received: p50 {Percentile(sorted, 0.50):F0} ms, p95 {Percentile(sorted, 0.95):F0} ms, " +
                    $"p99 {Percentile(sorted, 0.99):F0} ms, max {sorted[^1]:F0} ms");
            }
            return sorted.Length > 0 ? 0 : 1;
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    /// <summary>Sample records no shipped rule matches (noise), and a record that raises findings (CreateAccessKey).</summary>
    private static (List<NormalizedLogEvent> Noise, JsonObject Matching) Samples()
    {
        var ruleSet = RuleEvaluationBenchmark.ShippedRules();
        var records = RuleEvaluationBenchmark.CloudTrailRecords().ToList();
        var noise = records
            .Where(r => ruleSet.Evaluate(new SigmaEvent(r, SigmaLogSources.CloudTrail)).Count == 0)
            .Select(r => NormalizedCloudTrail.From(JsonNode.Parse(r.GetRawText())!.AsObject()))
            .ToList();
        var matching = records.Select(r => JsonNode.Parse(r.GetRawText())!.AsObject())
            .First(r => (string?)r["eventName"] == "CreateAccessKey");
        return (noise, matching);
    }

    /// <summary>The matching template with an event id and a principal of its own, so that it raises new findings.</summary>
    private static NormalizedLogEvent Matching(JsonObject template, long sequence)
    {
        var record = template.DeepClone().AsObject();
        record["eventID"] = $"match-{Guid.NewGuid():N}";
        record["eventTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        record["userIdentity"]!["arn"] = $"arn:aws:iam::111122223333:user/latency-{sequence}";
        return NormalizedCloudTrail.From(record);
    }

    private static async Task<long> EvaluatedBatchesAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM es_inbox WHERE consumer = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = LogEventsIngestedConsumer.InboxName });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
