using System.Collections.Concurrent;
using System.Net.Http.Json;
using Amazon.Runtime;
using Platform.Alerting;
using Platform.Archiver;
using Platform.Compliance;
using Platform.Detection;
using Platform.Ingestion.Pipeline;
using Platform.Ingestion.Storage;
using Platform.Contracts.Provisioning;
using Platform.Provisioning;

namespace Platform.Benchmarks;

/// <summary>
/// One service of <c>./platform bench</c> in a process of its own (so the bench can read its CPU and RSS), booted with
/// <see cref="ServiceHost{TEntryPoint}"/> on the bench's database and bus prefix. It writes <c>ready</c> once healthy,
/// then every 500 ms <c>count N</c>: the events it has handled (ingestion: stored and published; detection: evaluated;
/// the archiver: buffered for the archive; the others 0). Detection also profiles its batches: the database commands
/// each <c>evaluate batch</c> activity issued and their time, by statement, written as <c>profile</c> lines when its
/// standard input closes.
/// <code>Platform.Benchmarks bench-service provisioning|ingestion|detection|archiver|alerting|compliance DATABASE PREFIX [STREAM|BUCKET]</code>
/// </summary>
internal static class BenchService
{
    public const string Verb = "bench-service";

    public static readonly AWSCredentials Credentials = new BasicAWSCredentials("bench-access-key", "bench-secret-key");

    /// <summary>The platform's services in the order the bench starts them: provisioning first (the others catch up from it).</summary>
    public static readonly string[] Services = ["provisioning", "ingestion", "detection", "archiver", "alerting", "compliance"];

    public static async Task<int> RunAsync(string[] args)
    {
        var (service, database, prefix) = (args[0], args[1], args[2]);
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
        };
        using var profile = service == "detection" ? new BatchProfile() : null;
        using var counter = service switch
        {
            "detection" => new CounterSum(DetectionTelemetry.Name, "platform.detection.events.evaluated"),
            "ingestion" => new CounterSum(IngestionTelemetry.Name, "platform.ingestion.events.accepted"),
            "archiver" => new CounterSum(ArchiverTelemetry.Name, "platform.archiver.events.buffered"),
            _ => null,
        };
        await using var host = await StartAsync(service, database, prefix, args.Length > 3 ? args[3] : null, settings);
        Console.WriteLine("ready");

        // Standard input closes when the bench is done with this service.
        var done = Task.Run(() => Console.In.ReadToEnd());
        while (!done.IsCompleted)
        {
            Console.WriteLine($"count {counter?.Count ?? 0}");
            await Task.WhenAny(done, Task.Delay(500));
        }

        Console.WriteLine($"count {counter?.Count ?? 0}");
        profile?.Write(Console.Out);
        return 0;
    }

    /// <summary>
    /// Boots <paramref name="service"/> as the tests do, with what <c>./platform run</c> gives it here: provisioning
    /// applies the seed stack (metric filters, alarms, event rules for alerting) and points its <c>security-logs</c>
    /// subscription at the bench's stream (<paramref name="argument"/>), which ingestion then reads; the archiver writes
    /// to a bucket of the test S3 (<paramref name="argument"/>).
    /// </summary>
    private static async Task<IAsyncDisposable> StartAsync(string service, string database, string prefix, string? argument, Dictionary<string, string?> settings)
    {
        var s3 = TestServers.S3.ToString();
        switch (service)
        {
            case "provisioning":
                var provisioning = new ServiceHost<ProvisioningDbContext>(PlatformResources.ProvisioningDb, database, prefix, settings);
                await provisioning.WaitUntilReadyAsync();
                // The seed's `security-logs` subscription, pointed at the bench's stream as a user would point it at theirs.
                using (var admin = provisioning.CreateAdminClient())
                {
                    var source = new SourceSpec(argument, null, "us-east-1", TestServers.Kinesis.ToString(), "TRIM_HORIZON", null, "aws-cloudtrail-logs", null);
                    (await admin.PutAsJsonAsync("/v1/sources/security-logs", source)).EnsureSuccessStatusCode();
                }

                return provisioning;
            case "ingestion":
                return await StartAsync(new ServiceHost<RawLogStore>(PlatformResources.IngestionDb, database, prefix, settings,
                    services => services.AddSingleton(Credentials)));
            case "detection":
                return await StartAsync(new ServiceHost<DetectionDbContext>(PlatformResources.DetectionDb, database, prefix, settings));
            case "archiver":
                settings["Platform:Archiver:Bucket"] = argument;
                settings["Platform:Archiver:ServiceUrl"] = s3;
                settings["Platform:Archiver:AccessKeyId"] = S3TestBucket.AccessKey;
                settings["Platform:Archiver:SecretAccessKey"] = S3TestBucket.SecretKey;
                return await StartAsync(new ServiceHost<ArchiverOptions>(PlatformResources.ArchiverDb, database, prefix, settings));
            case "alerting":
                return await StartAsync(new ServiceHost<AlertingDbContext>(PlatformResources.AlertingDb, database, prefix, settings));
            case "compliance":
                settings["Platform:Compliance:S3:ServiceUrl"] = s3;
                settings["Platform:Compliance:S3:AccessKeyId"] = S3TestBucket.AccessKey;
                settings["Platform:Compliance:S3:SecretAccessKey"] = S3TestBucket.SecretKey;
                return await StartAsync(new ServiceHost<ComplianceDbContext>(PlatformResources.ComplianceDb, database, prefix, settings));
            default:
                throw new ArgumentException($"No service named {service}; one of {string.Join(", ", Services)}.", nameof(service));
        }
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
        // Per minute since the service started: the batches that ended in it, their seconds, and the seconds of the
        // stages (the batches' child activities) that ended in it, so a slowdown as the run goes on shows which stage grew.
        private readonly SortedDictionary<int, MinuteFigures> _minutes = [];
        private readonly long _started = Stopwatch.GetTimestamp();
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
            if (activity.Source.Name == DetectionTelemetry.Name && activity.Parent?.OperationName == "evaluate batch")
            {
                lock (_statements)
                {
                    var stages = Minute().Stages;
                    stages[activity.OperationName] = stages.GetValueOrDefault(activity.OperationName) + activity.Duration.TotalSeconds;
                }
                return;
            }

            if (activity.Source.Name == DetectionTelemetry.Name && activity.OperationName == "evaluate batch")
            {
                var commands = _commandsByBatch.TryRemove(activity.Id ?? "", out var n) ? n : 0;
                Interlocked.Increment(ref _batches);
                lock (_statements)
                {
                    var minute = Minute();
                    minute.Batches++;
                    minute.Seconds += activity.Duration.TotalSeconds;
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

        /// <summary>The current minute and its figures (under the lock).</summary>
        private MinuteFigures Minute()
        {
            var minute = (int)Stopwatch.GetElapsedTime(_started).TotalMinutes;
            if (!_minutes.TryGetValue(minute, out var figures))
            {
                figures = new MinuteFigures();
                _minutes[minute] = figures;
            }

            return figures;
        }

        /// <summary>One minute's batches, their seconds, and the seconds of each stage.</summary>
        private sealed class MinuteFigures
        {
            public long Batches { get; set; }

            public double Seconds { get; set; }

            public Dictionary<string, double> Stages { get; } = new(StringComparer.Ordinal);
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

            lock (_statements)
            {
                output.WriteLine("profile ");
                output.WriteLine("profile Per minute since detection started (the warm-up included): the batches that ended in it and the seconds a batch spent on average, in all and in each stage:");
                foreach (var (minute, figures) in _minutes.Where(m => m.Value.Batches > 0))
                {
                    var each = string.Join(", ", figures.Stages.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => FormattableString.Invariant($"{s.Key} {s.Value / figures.Batches:F3}")));
                    output.WriteLine(FormattableString.Invariant($"profile minute {minute,3}: {figures.Batches,5} batches, {figures.Seconds / figures.Batches:F3} s each ({each})"));
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
