using System.Collections.Concurrent;
using Amazon.Runtime;
using Platform.Detection;
using Platform.Ingestion.Kinesis;
using Platform.Ingestion.Pipeline;
using Platform.Ingestion.Storage;

namespace Platform.Benchmarks;

/// <summary>
/// One service of <c>./platform bench</c> in a process of its own (so the bench can read its CPU and RSS), booted with
/// <see cref="ServiceHost{TEntryPoint}"/> on the bench's database, bus prefix and (ingestion) Kinesis stream. It writes
/// <c>ready</c> once healthy, then every 500 ms <c>count N</c>: the events it has handled (ingestion: stored and
/// published; detection: evaluated). Detection also profiles its batches: the database commands each <c>evaluate
/// batch</c> activity issued and their time, by statement, written as <c>profile</c> lines when its standard input closes.
/// <code>Platform.Benchmarks bench-service detection|ingestion DATABASE PREFIX [STREAM]</code>
/// </summary>
internal static class BenchService
{
    public const string Verb = "bench-service";

    public static readonly AWSCredentials Credentials = new BasicAWSCredentials("bench-access-key", "bench-secret-key");

    public static async Task<int> RunAsync(string[] args)
    {
        var (service, database, prefix) = (args[0], args[1], args[2]);
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            // No provisioning service runs here: its unanswered catch-up requests are expected.
            ["Logging:LogLevel:Platform.Messaging.ProvisionedResourceCatchUp"] = "Error",
        };
        using var profile = service == "detection" ? new BatchProfile() : null;
        using var counter = service == "detection"
            ? new CounterSum(DetectionTelemetry.Name, "platform.detection.events.evaluated")
            : new CounterSum(IngestionTelemetry.Name, "platform.ingestion.events.accepted");
        await using IAsyncDisposable host = service == "detection"
            ? await StartAsync(new ServiceHost<DetectionDbContext>(PlatformResources.DetectionDb, database, prefix, settings))
            : await StartAsync(new ServiceHost<RawLogStore>(PlatformResources.IngestionDb, database, prefix, new Dictionary<string, string?>(settings)
            {
                [$"{KinesisSourceConfiguration.Section}:bench:StreamName"] = args[3],
                [$"{KinesisSourceConfiguration.Section}:bench:Endpoint"] = TestServers.Kinesis.ToString(),
                [$"{KinesisSourceConfiguration.Section}:bench:StartingPosition"] = "TRIM_HORIZON",
            }, services => services.AddSingleton(Credentials)));
        Console.WriteLine("ready");

        // Standard input closes when the bench is done with this service.
        var done = Task.Run(() => Console.In.ReadToEnd());
        while (!done.IsCompleted)
        {
            Console.WriteLine($"count {counter.Count}");
            await Task.WhenAny(done, Task.Delay(500));
        }

        Console.WriteLine($"count {counter.Count}");
        profile?.Write(Console.Out);
        return 0;
    }

    private static async Task<IAsyncDisposable> StartAsync<T>(ServiceHost<T> host) where T : class
    {
        await host.WaitUntilReadyAsync();
        return host;
    }

    /// <summary>
    /// Detection's batches (<c>evaluate batch</c> activities) and the Npgsql commands issued inside them, by statement
    /// (its first words): where a batch's time goes and how many round trips it makes.
    /// </summary>
    private sealed class BatchProfile : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentDictionary<string, (long Count, double Seconds)> _statements = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, int> _commandsByBatch = new(StringComparer.Ordinal);
        private long _batches;
        private long _matchedBatches;
        private long _commandsOfMatched;
        private double _batchSeconds;
        private double _matchedSeconds;

        public BatchProfile()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is DetectionTelemetry.Name or "Npgsql",
                Sample = (ref _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = Stopped,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        private void Stopped(Activity activity)
        {
            if (activity.Source.Name == DetectionTelemetry.Name && activity.OperationName == "evaluate batch")
            {
                var commands = _commandsByBatch.TryRemove(activity.Id ?? "", out var n) ? n : 0;
                Interlocked.Increment(ref _batches);
                lock (_statements)
                {
                    _batchSeconds += activity.Duration.TotalSeconds;
                    // A batch that matches nothing records its inbox row and nothing else: one command.
                    if (commands > 1)
                    {
                        _matchedBatches++;
                        _commandsOfMatched += commands;
                        _matchedSeconds += activity.Duration.TotalSeconds;
                    }
                }
                return;
            }

            if (activity.Source.Name != "Npgsql")
            {
                return;
            }

            var batch = activity.Parent;
            while (batch is not null && batch.OperationName != "evaluate batch")
            {
                batch = batch.Parent;
            }

            if (batch?.Id is not { } batchId)
            {
                return;
            }

            _commandsByBatch.AddOrUpdate(batchId, 1, (_, n) => n + 1);
            var sql = (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) as string ?? activity.DisplayName;
            var statement = string.Join(' ', sql.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(6));
            _statements.AddOrUpdate(statement, (1, activity.Duration.TotalSeconds), (_, s) => (s.Count + 1, s.Seconds + activity.Duration.TotalSeconds));
        }

        public void Write(TextWriter output)
        {
            lock (_statements)
            {
                output.WriteLine(FormattableString.Invariant(
                    $"profile batches {_batches}, {_batchSeconds:F1} s; batches with matches {_matchedBatches}, {_matchedSeconds:F1} s, {_commandsOfMatched} database commands ({(_matchedBatches == 0 ? 0 : (double)_commandsOfMatched / _matchedBatches):F1} per batch)"));
            }

            foreach (var (statement, (count, seconds)) in _statements.OrderByDescending(s => s.Value.Seconds))
            {
                output.WriteLine(FormattableString.Invariant($"profile {count,8} commands {seconds,8:F1} s  {statement}"));
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
