using System.Net.Http.Json;
using System.Text;
using MassTransit;
using NpgsqlTypes;
using Platform.Contracts;
using Platform.Contracts.Ingestion;
using Platform.Detection;
using Platform.Ingestion.Storage;

namespace Platform.Benchmarks;

/// <summary>
/// A retro-hunt over <c>--events</c> (1 million) stored events end to end: boots ingestion and detection on the test
/// servers (PLATFORM_TEST_POSTGRES, _RABBITMQ) on one broker prefix, stores the events in ingestion's raw log store with
/// binary COPY (CloudTrail sample records with ids and times of their own; one in <c>--match-every</c> renamed so the
/// hunted rule matches it, each by a principal of its own, so each raises a finding), then times
/// <c>POST /v1/retro-hunts</c> to the hunt's completion: ingestion scans the range and evaluates it, the broker carries
/// what the rule may match, detection evaluates that again and records the findings. Baselines in the same run, in memory
/// over the same records on one thread: every record parsed from its UTF-8 and evaluated (what evaluating all of them
/// costs), and the work of ingestion's scan (the rule set's prefilter on each record's bytes, then parse and evaluate those
/// it lets through). <c>--rule contains</c> hunts with <c>eventName|contains</c>, which no prefilter serves: every record is parsed.
/// <code>PLATFORM_SKIP_SETUP=1 ./platform test ... or with the servers' variables set:
/// dotnet run -c Release --project tests/Platform.Benchmarks -- retro-hunt --events 1000000 --batch 2000 [--rule equals|contains]</code>
/// </summary>
public static class RetroHuntDriver
{
    public const string Verb = "retro-hunt";

    private const string ProbeName = "RetroHuntBenchmarkProbe";

    private static readonly DateTimeOffset Day = new(2020, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string[] args)
    {
        var count = DriverArguments.Option(args, "--events", 1_000_000);
        var batchSize = DriverArguments.Option(args, "--batch", 2000);
        var parallelism = DriverArguments.Option(args, "--parallelism", 0);
        var matchEvery = DriverArguments.Option(args, "--match-every", 1000);
        var modifier = DriverArguments.Option(args, "--rule", "equals") == "contains" ? "|contains" : "";
        var templates = Templates();
        Console.WriteLine($"{templates.Count} CloudTrail templates, about {templates.Average(t => t.Prefix.Length + t.Middle.Length + t.Suffix.Length + 60):N0} bytes per record");

        var rule = $"""
            title: Retro-hunt benchmark probe
            id: {Guid.NewGuid()}
            logsource:
                product: aws
                service: cloudtrail
            detection:
                selection:
                    eventName{modifier}: {ProbeName}
                condition: selection
            level: low
            """;
        var baseline = Baseline(rule, templates, count, matchEvery, prefilter: false, out var expectedMatches);
        Console.WriteLine($"Baseline (parse + evaluate in memory, one thread): {count:N0} events in {baseline.TotalSeconds:F2} s = {count / baseline.TotalSeconds:N0} events/s, {expectedMatches:N0} matches");
        var scanBaseline = Baseline(rule, templates, count, matchEvery, prefilter: true, out _);
        Console.WriteLine($"Baseline (prefilter, then parse + evaluate what it lets through, in memory, one thread): {count / scanBaseline.TotalSeconds:N0} events/s");

        await using var postgres = new PostgresServer();
        var prefix = RabbitMqServer.NewEntityPrefix();
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Platform.ServiceDefaults.Configuration"] = "Error",
            ["Platform:Detection:RetroHunts:BatchSize"] = batchSize.ToString(CultureInfo.InvariantCulture),
            ["Platform:Ingestion:RetroHuntMaxBatchSize"] = batchSize.ToString(CultureInfo.InvariantCulture),
        };
        if (parallelism > 0)
        {
            settings["Platform:Ingestion:RetroHuntScanParallelism"] = parallelism.ToString(CultureInfo.InvariantCulture);
        }
        await using var ingestion = new ServiceHost<RawLogStore>(PlatformResources.IngestionDb, await postgres.CreateDatabaseAsync("huntingestion"), prefix, settings);
        await using var detection = new ServiceHost<DetectionDbContext>(PlatformResources.DetectionDb, await postgres.CreateDatabaseAsync("huntdetection"), prefix, settings);
        foreach (var services in new[] { ingestion.Services, detection.Services })
        {
            var bus = services.GetRequiredService<IBusControl>();
            while (bus.CheckHealth().Status != BusHealthStatus.Healthy)
            {
                await Task.Delay(50);
            }
        }

        var setup = Stopwatch.StartNew();
        await StoreAsync(ingestion.Services, templates, count, matchEvery);
        Console.WriteLine($"Setup: {count:N0} events stored with binary COPY in {setup.Elapsed.TotalSeconds:F1} s");

        using var client = detection.CreateAdminClient();
        var postmaster = await PostmasterAsync(ingestion.Services);
        var (processCpu, postgresCpu) = (Environment.CpuUsage.TotalTime, PostgresCpu(postmaster));
        var run = Stopwatch.StartNew();
        var started = await client.PostAsJsonAsync("/v1/retro-hunts", new { rule, from = Day, to = Day.AddDays(1) });
        started.EnsureSuccessStatusCode();
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        JsonElement hunt;
        var nextReport = TimeSpan.FromSeconds(2);
        while (true)
        {
            hunt = await client.GetFromJsonAsync<JsonElement>($"/v1/retro-hunts/{id}", PlatformJson.Options);
            if (hunt.GetProperty("status").GetString() != "running" || run.Elapsed > TimeSpan.FromMinutes(10))
            {
                break;
            }
            if (run.Elapsed >= nextReport)
            {
                Console.WriteLine($"  {run.Elapsed.TotalSeconds,5:F1} s: {hunt.GetProperty("eventsScanned").GetInt64():N0} scanned, {hunt.GetProperty("findings").GetInt64():N0} findings");
                nextReport += TimeSpan.FromSeconds(2);
            }
            await Task.Delay(100);
        }
        var elapsed = run.Elapsed;
        var (processUsed, postgresUsed) = (Environment.CpuUsage.TotalTime - processCpu, PostgresCpu(postmaster) - postgresCpu);
        var scanned = hunt.GetProperty("eventsScanned").GetInt64();
        var findings = hunt.GetProperty("findings").GetInt64();
        Console.WriteLine($"Retro-hunt {hunt.GetProperty("status").GetString()}: {scanned:N0} events scanned, {findings:N0} findings, in {elapsed.TotalSeconds:F2} s = {scanned / elapsed.TotalSeconds:N0} events/s end to end (batches of {batchSize})");
        Console.WriteLine($"Baseline in memory: {count / baseline.TotalSeconds:N0} events/s; end to end is {scanned / elapsed.TotalSeconds / (count / baseline.TotalSeconds):P0} of it");
        Console.WriteLine($"Scan baseline in memory: {count / scanBaseline.TotalSeconds:N0} events/s; end to end is {scanned / elapsed.TotalSeconds / (count / scanBaseline.TotalSeconds):P0} of it");
        var perMillion = 1_000_000.0 / Math.Max(scanned, 1);
        Console.WriteLine(
            $"CPU during the hunt: ingestion + detection (this process) {processUsed.TotalSeconds:F1} s, Postgres {postgresUsed.TotalSeconds:F1} s; " +
            $"per million events {processUsed.TotalSeconds * perMillion:F1} s and {postgresUsed.TotalSeconds * perMillion:F1} s; load average {LoadAverage()}");
        return hunt.GetProperty("status").GetString() == "completed" && scanned == count && findings == expectedMatches ? 0 : 1;
    }

    /// <summary>The test server's postmaster (its data directory's pid file; the benchmark's user is a superuser).</summary>
    private static async Task<int> PostmasterAsync(IServiceProvider services)
    {
        await using var command = services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT pg_read_file('postmaster.pid')");
        var pidFile = (string)(await command.ExecuteScalarAsync())!;
        return int.Parse(pidFile.AsSpan(0, pidFile.IndexOf('\n', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// CPU used by a Postgres server so far: the postmaster with its reaped backends (cutime, cstime) and its live children,
    /// from /proc (user + system, in clock ticks of 1/100 s).
    /// </summary>
    private static TimeSpan PostgresCpu(int postmaster)
    {
        // The fields after the command's name and the state: ppid [0], utime [10], stime [11], cutime [12], cstime [13].
        static long[] Stat(string path)
        {
            var stat = File.ReadAllText(path);
            return [.. stat[(stat.LastIndexOf(')') + 2)..].Split(' ').Skip(1).Take(14).Select(f => long.Parse(f, CultureInfo.InvariantCulture))];
        }

        var own = Stat($"/proc/{postmaster}/stat");
        var ticks = own[10] + own[11] + own[12] + own[13];
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
            {
                continue;
            }
            try
            {
                var stat = Stat(Path.Combine(dir, "stat"));
                if (stat[0] == postmaster)
                {
                    ticks += stat[10] + stat[11];
                }
            }
            catch (IOException)
            {
                // The process ended meanwhile: the postmaster's cutime has it.
            }
        }
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>A sample record around its id and time, with the envelope columns ingestion lifts out of it.</summary>
    private sealed record Template(string Prefix, string Middle, string Suffix, NormalizedLogEvent Envelope);

    private static List<Template> Templates()
    {
        var templates = new List<Template>();
        foreach (var record in RuleEvaluationBenchmark.CloudTrailRecords().Take(200))
        {
            foreach (var probe in new[] { false, true })
            {
                var node = JsonNode.Parse(record.GetRawText())!.AsObject();
                node["eventID"] = "@ID@";
                node["eventTime"] = "@TIME@";
                if (probe)
                {
                    node["eventName"] = ProbeName;
                }
                var text = node.ToJsonString();
                var id = text.IndexOf("@ID@", StringComparison.Ordinal);
                var time = text.IndexOf("@TIME@", StringComparison.Ordinal);
                if (time < id)
                {
                    continue;
                }
                node["eventTime"] = Day.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                templates.Add(new Template(text[..id], text[(id + 4)..time], text[(time + 6)..], NormalizedCloudTrail.From(node)));
            }
        }
        return templates;
    }

    /// <summary>The i-th event: its template (the probe's variant for every <paramref name="matchEvery"/>-th), id, time and text.</summary>
    private static (Template Template, string Id, DateTimeOffset Time, string Record) Event(List<Template> templates, long i, int matchEvery)
    {
        var pair = (int)(i % (templates.Count / 2)) * 2;
        var template = templates[pair + (i % matchEvery == 0 ? 1 : 0)];
        var id = $"hunt-{i:D9}";
        var time = Day.AddTicks(i * TimeSpan.TicksPerMillisecond * 50);
        var record = template.Prefix + id + template.Middle + time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) + template.Suffix;
        return (template, id, time, record);
    }

    /// <summary>The rule over the records in memory on one thread; with <paramref name="prefilter"/>, only the records its prefilter lets through are parsed.</summary>
    private static TimeSpan Baseline(string yaml, List<Template> templates, int count, int matchEvery, bool prefilter, out long matches)
    {
        var ruleSet = SigmaRuleLoader.CreateRuleSet([SigmaRuleLoader.Load(yaml, "benchmark")]);
        var records = Enumerable.Range(0, 10_000).Select(i => Encoding.UTF8.GetBytes(Event(templates, i, matchEvery).Record)).ToArray();
        matches = 0;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            // The probe's variant comes every matchEvery-th event: the cycle of 10,000 keeps it where it was.
            var record = records[i % records.Length];
            if (prefilter && ruleSet.Prefilter?.MayMatch(record) == false)
            {
                continue;
            }

            using var document = JsonDocument.Parse(record);
            matches += ruleSet.Evaluate(new SigmaEvent(document.RootElement, SigmaLogSources.CloudTrail)).Count;
        }
        return watch.Elapsed;
    }

    private static async Task StoreAsync(IServiceProvider services, List<Template> templates, int count, int matchEvery)
    {
        var ingestedAt = DateTimeOffset.UtcNow;
        await services.GetRequiredService<LogPartitions>().EnsureAsync(ingestedAt, CancellationToken.None);
        await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY log_events (event_id, source_type, event_time, ingested_at, log_group, log_stream, account, region, event_source, event_name, " +
            "principal, source_ip, error_code, source, record) FROM STDIN (FORMAT BINARY)"))
        {
            for (long i = 0; i < count; i++)
            {
                var (template, id, time, record) = Event(templates, i, matchEvery);
                var e = template.Envelope;
                await importer.StartRowAsync();
                await importer.WriteAsync(id, NpgsqlDbType.Text);
                await importer.WriteAsync(e.SourceType, NpgsqlDbType.Text);
                await importer.WriteAsync(time, NpgsqlDbType.TimestampTz);
                await importer.WriteAsync(ingestedAt, NpgsqlDbType.TimestampTz);
                // Each probe event by a principal of its own (the column findings are fingerprinted by): a finding each.
                var principal = i % matchEvery == 0 ? $"arn:aws:iam::123456789012:user/hunted-{i}" : e.Principal;
                foreach (var value in new[] { e.LogGroup, e.LogStream, e.Account, e.Region, e.EventSource, e.EventName, principal, e.SourceIp, e.ErrorCode })
                {
                    await (value is null ? importer.WriteNullAsync() : importer.WriteAsync(value, NpgsqlDbType.Text));
                }
                await importer.WriteAsync("benchmark", NpgsqlDbType.Text);
                await importer.WriteAsync(record, NpgsqlDbType.Text);
            }
            await importer.CompleteAsync();
        }
        // As autovacuum leaves a past range (insert-only tables are vacuumed too): the visibility map set, so counting the
        // range is an index-only scan, not a read of every stored record.
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "VACUUM ANALYZE log_events";
        await analyze.ExecuteNonQueryAsync();
    }
}
