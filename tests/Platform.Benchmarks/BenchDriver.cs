using System.Collections.Concurrent;
using Platform.Contracts.Detection;
using Platform.Kinesis;

namespace Platform.Benchmarks;

/// <summary>
/// The whole pipeline under load (<c>./platform bench</c>): starts the platform's six services, each in a process of its
/// own (<see cref="BenchService"/>) on the test servers, ingestion on a fresh two-shard Kinesis stream; puts <c>--events</c> CloudTrail
/// events (<see cref="BenchTraffic"/>; <c>--mix routine|attack</c>, <c>--attack-percent</c>) into the stream at
/// <c>--rate</c> events/s (0: as fast as it goes; with <c>--seconds</c>, for that long) and measures until detection has evaluated every one (after
/// <c>--warmup</c> events, default 10,000, put as fast as they go and evaluated before the clock starts: a platform in
/// service has compiled its code and filled its pools and caches, so a cold start's backlog is not measured): sustained
/// events/s from the first put to the last evaluated, Kinesis-to-finding latency (put to the finding event received on
/// the bus), CPU and RSS per service, storage per million events. Writes <c>--report</c> (default bench/report.md in the
/// repository) and an SVG chart beside it. <c>./platform bench</c> starts the servers and runs it.
/// <code>dotnet run -c Release --project tests/Platform.Benchmarks -- bench --mix attack --events 200000</code>
/// </summary>
internal static class BenchDriver
{
    public const string Verb = "bench";

    private const int PerPayload = 100;
    private static readonly string[] HashKeys = ["0", "170141183460469231731687303715884105728"];

    public static async Task<int> RunAsync(string[] args)
    {
        var mix = DriverArguments.Option(args, "--mix", "attack");
        var rate = DriverArguments.Option(args, "--rate", 0);
        // A duration at a rate is that many events: --rate 2000 --seconds 300 puts 600,000.
        var seconds = DriverArguments.Option(args, "--seconds", 0);
        var events = seconds > 0 ? rate * seconds : DriverArguments.Option(args, "--events", 200_000);
        var attackPercent = DriverArguments.Option(args, "--attack-percent", mix == "attack" ? 100 : 2);
        var warmup = DriverArguments.Option(args, "--warmup", 10_000);
        var timeout = TimeSpan.FromSeconds(DriverArguments.Option(args, "--timeout", 1800));
        var report = DriverArguments.Option(args, "--report", null) ?? Path.Combine(SharedData.RepositoryRoot, "bench", "report.md");
        if (mix is not ("attack" or "routine"))
        {
            Console.Error.WriteLine($"--mix must be attack or routine, not {mix}.");
            return 2;
        }

        if (seconds > 0 && rate <= 0)
        {
            Console.Error.WriteLine("--seconds needs --rate: as fast as it goes, say how many --events instead.");
            return 2;
        }

        var traffic = new BenchTraffic(attackPercent);
        var settings = new BenchSettings(mix, traffic.Describe(), events, rate, attackPercent, warmup, Environment.ProcessorCount);
        Console.WriteLine($"{settings.Traffic}; {events:N0} events at {(rate == 0 ? "as fast as it goes" : $"{rate:N0} events/s")}");

        var client = new KinesisClient(new HttpClient(), new KinesisEndpoint(TestServers.Kinesis, "us-east-1"), BenchService.Credentials, TimeProvider.System);
        var stream = $"bench-{Guid.NewGuid():N}"[..24];
        await client.CreateStreamAsync(stream, HashKeys.Length, CancellationToken.None);
        await client.WaitUntilActiveAsync(stream, TimeSpan.FromSeconds(30), CancellationToken.None);

        // As fast as it goes: every payload is made before the clock starts, so the driver's own work is not measured.
        List<(byte[] Data, string[] EventIds)> Payloads(int count) =>
            [.. Enumerable.Range(0, (count + PerPayload - 1) / PerPayload).Select(i => traffic.NextPayload(Math.Min(PerPayload, count - i * PerPayload)))];
        var warming = Payloads(warmup);
        var prebuilt = rate == 0 ? Payloads(events) : null;

        await using var postgres = new PostgresServer();
        var databases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in BenchService.Services)
        {
            databases[service] = await postgres.CreateDatabaseAsync("bench" + service);
        }

        using var archive = await S3TestBucket.CreateAsync();
        var prefix = RabbitMqServer.NewEntityPrefix();

        var clock = Stopwatch.StartNew();
        var putAt = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        var latencies = new ConcurrentQueue<(double At, double Milliseconds)>();
        void Received(IEnumerable<FindingEvidence> evidence)
        {
            var now = clock.Elapsed.TotalSeconds;
            // The latest of our events behind the change is the one whose batch caused it.
            var put = evidence.Select(e => putAt.TryGetValue(e.EventId, out var at) ? at : (double?)null).Max();
            if (put is { } at)
            {
                latencies.Enqueue((now, (now - at) * 1000));
            }
        }

        var bus = RabbitMqServer.CreateBus(prefix, $"{prefix}-bench-findings", endpoint =>
        {
            endpoint.OnEach<FindingRaised>(finding => Received(finding.Evidence));
            endpoint.OnEach<FindingUpdated>(finding => Received(finding.LatestEvidence));
        });
        await bus.StartAsync();
        // Provisioning first (the others catch its resources up from it), then the rest together.
        var processes = new List<BenchProcess> { await BenchProcess.StartAsync("provisioning", databases["provisioning"], prefix, stream) };
        processes.AddRange(await Task.WhenAll(BenchService.Services.Skip(1).Select(service => BenchProcess.StartAsync(
            [service, databases[service], prefix, .. service == "archiver" ? new[] { archive.Name } : []]))));
        await using var running = new BenchProcesses(processes);
        var ingestion = processes[Array.IndexOf(BenchService.Services, "ingestion")];
        var detection = processes[Array.IndexOf(BenchService.Services, "detection")];
        Console.WriteLine($"Services started in {clock.Elapsed.TotalSeconds:F1} s");

        var servers = BenchServers.FromEnvironment();
        var samples = new List<BenchSample>();
        long put = 0;
        var started = clock.Elapsed.TotalSeconds;
        async Task PutAsync(IReadOnlyList<(byte[] Data, string[] EventIds)> payloads, int shard)
        {
            var at = clock.Elapsed.TotalSeconds;
            foreach (var id in payloads.SelectMany(p => p.EventIds))
            {
                putAt[id] = at;
            }

            var response = await client.PutRecordsAsync(stream,
                [.. payloads.Select(p => new PutRecordsRequestEntry(p.Data, "key", HashKeys[shard % HashKeys.Length]))], CancellationToken.None);
            if (response.FailedRecordCount is > 0)
            {
                throw new InvalidOperationException($"{response.FailedRecordCount} records were not put.");
            }

            Interlocked.Add(ref put, payloads.Sum(p => p.EventIds.Length));
        }

        // Prebuilt payloads as fast as they go: 20 records a PutRecords, four at a time.
        Task PutAllAsync(List<(byte[] Data, string[] EventIds)> payloads) =>
            Parallel.ForEachAsync(payloads.Chunk(20).Select((chunk, i) => (chunk, i)), new ParallelOptions { MaxDegreeOfParallelism = 4 },
                async (batch, _) => await PutAsync(batch.chunk, batch.i));

        // The warm-up: put, evaluated, then forgotten (its events' findings are not timed, its counts are subtracted).
        if (warming.Count > 0)
        {
            await PutAllAsync(warming);
            var warm = Stopwatch.StartNew();
            while (detection.Count < warmup || ingestion.Count < warmup)
            {
                if (warm.Elapsed > timeout)
                {
                    throw new TimeoutException($"The warm-up's {warmup:N0} events were not evaluated within {timeout}.");
                }

                await Task.Delay(200);
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
            Console.WriteLine($"Warmed up: {warmup:N0} events evaluated in {warm.Elapsed.TotalSeconds:F1} s (not measured)");
        }

        var (warmIngested, warmEvaluated) = (ingestion.Count, detection.Count);
        putAt.Clear();
        latencies.Clear();
        put = 0;
        started = clock.Elapsed.TotalSeconds;
        var producer = prebuilt is not null
            ? PutAllAsync(prebuilt)
            : Task.Run(async () =>
            {
                var made = 0;
                var shard = 0;
                while (made < events)
                {
                    var due = Math.Min(events, (long)((clock.Elapsed.TotalSeconds - started) * rate));
                    var payloads = new List<(byte[], string[])>();
                    for (; made < due; made += PerPayload)
                    {
                        payloads.Add(traffic.NextPayload((int)Math.Min(PerPayload, events - made)));
                    }

                    if (payloads.Count > 0)
                    {
                        await PutAsync(payloads, shard++);
                    }

                    await Task.Delay(50);
                }
            });

        var lastSample = clock.Elapsed;
        while (clock.Elapsed - TimeSpan.FromSeconds(started) < timeout)
        {
            await Task.Delay(TimeSpan.FromTicks(TimeSpan.TicksPerSecond - (clock.Elapsed - lastSample).Ticks % TimeSpan.TicksPerSecond));
            lastSample = clock.Elapsed;
            var sample = new BenchSample(
                clock.Elapsed.TotalSeconds - started,
                Interlocked.Read(ref put),
                ingestion.Count - warmIngested,
                detection.Count - warmEvaluated,
                [.. processes.Select(p => p.Usage()), .. servers.Usage()]);
            samples.Add(sample);
            if (samples.Count % 5 == 0)
            {
                Console.WriteLine($"  {sample.At,6:F0} s: {sample.Put:N0} put, {sample.Ingested:N0} ingested, {sample.Evaluated:N0} evaluated, " +
                    $"RSS {string.Join('/', sample.Services.Take(processes.Count).Select(u => u.RssMegabytes.ToString("F0", CultureInfo.InvariantCulture)))} MB");
            }

            if (producer.IsFaulted)
            {
                await producer;
            }

            if (sample.Evaluated >= events && sample.Ingested >= events)
            {
                break;
            }
        }

        // Findings of the last batches are published by the outbox relay after their commit.
        var settle = Stopwatch.StartNew();
        var seen = latencies.Count;
        while (settle.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            if (latencies.Count == seen)
            {
                break;
            }

            seen = latencies.Count;
        }

        await bus.StopAsync();
        var storage = new List<long>();
        foreach (var service in BenchService.Services)
        {
            storage.Add(await DatabaseBytesAsync(databases[service]));
        }

        var profile = await detection.StopAsync();
        await Task.WhenAll(processes.Select(p => p.StopAsync()));

        var result = new BenchResult(settings, samples, [.. latencies.Select(l => (l.At - started, l.Milliseconds))], [.. BenchService.Services, .. servers.Names], storage, profile);
        Directory.CreateDirectory(Path.GetDirectoryName(report)!);
        BenchReport.Write(result, report);
        Console.WriteLine(BenchReport.Summary(result));
        Console.WriteLine($"Report: {report}");
        return result.Drained ? 0 : 1;
    }

    private static async Task<long> DatabaseBytesAsync(string database)
    {
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var command = dataSource.CreateCommand("SELECT pg_database_size(current_database())");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>The bench's service processes, stopped together.</summary>
internal sealed class BenchProcesses(IReadOnlyList<BenchProcess> processes) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }
    }
}

/// <summary>What the bench was asked to do.</summary>
internal sealed record BenchSettings(string Mix, string Traffic, int Events, int Rate, int AttackPercent, int Warmup, int Cores);

/// <summary>One second of the run: events put, stored by ingestion and evaluated by detection so far; each service's usage.</summary>
internal sealed record BenchSample(double At, long Put, long Ingested, long Evaluated, ServiceUsage[] Services);

/// <summary>A service process's CPU seconds so far and resident memory.</summary>
internal readonly record struct ServiceUsage(double CpuSeconds, double RssMegabytes);

/// <summary>A bench service's process: its <c>count</c> lines, its CPU and RSS from /proc.</summary>
internal sealed class BenchProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _profile = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _count;

    private BenchProcess(Process process) => _process = process;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>The <c>dotnet</c> host running the bench (<c>./platform bench</c> starts it as <c>dotnet Platform.Benchmarks.dll</c>).</summary>
    private static string DotnetHost =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet"
            ? Environment.ProcessPath!
            : throw new InvalidOperationException("Run the bench as `dotnet Platform.Benchmarks.dll bench` (./platform bench does).");

    public static async Task<BenchProcess> StartAsync(params string[] args)
    {
        // The runtime configuration the service is built with (its garbage collector and heap limit from
        // services/Directory.Build.props, in the service's runtimeconfig.json beside this assembly), not the bench's own.
        var bench = typeof(BenchProcess).Assembly.Location;
        var runtimeConfig = Path.Combine(Path.GetDirectoryName(bench)!, $"Platform.{char.ToUpperInvariant(args[0][0])}{args[0][1..]}.runtimeconfig.json");
        var start = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            ArgumentList = { "exec", "--runtimeconfig", runtimeConfig, bench },
        };
        start.ArgumentList.Add(BenchService.Verb);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new BenchProcess(Process.Start(start)!);
        process._process.OutputDataReceived += (_, line) => process.Read(line.Data);
        process._process.BeginOutputReadLine();
        var ready = await Task.WhenAny(process._ready.Task, process._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(3)));
        if (ready != process._ready.Task)
        {
            throw new InvalidOperationException($"The {args[0]} service did not start (exit code {(process._process.HasExited ? process._process.ExitCode : null)}).");
        }

        return process;
    }

    private void Read(string? line)
    {
        if (line == "ready")
        {
            _ready.TrySetResult();
        }
        else if (line?.StartsWith("count ", StringComparison.Ordinal) == true)
        {
            Interlocked.Exchange(ref _count, long.Parse(line[6..], CultureInfo.InvariantCulture));
        }
        else if (line?.StartsWith("profile ", StringComparison.Ordinal) == true)
        {
            lock (_profile)
            {
                _profile.Add(line[8..]);
            }
        }
        else if (line is not null)
        {
            Console.WriteLine(line);
        }
    }

    /// <summary>CPU (user + system) and RSS from /proc/PID/stat and /proc/PID/status.</summary>
    public ServiceUsage Usage()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14 and 15 of stat (utime, stime), in clock ticks of 1/100 s; the split starts at field 3.
            var cpu = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
            var rss = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            var kilobytes = long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            return new ServiceUsage(cpu, kilobytes / 1024.0);
        }
        catch (IOException)
        {
            return default;
        }
    }

    /// <summary>Closes the service's standard input (it stops) and returns the profile it wrote.</summary>
    public async Task<IReadOnlyList<string>> StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        lock (_profile)
        {
            return [.. _profile];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}
