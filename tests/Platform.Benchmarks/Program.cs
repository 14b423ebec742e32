using BenchmarkDotNet.Running;
using Platform.Benchmarks;

// `load-kinesis` drives the end-to-end load test, `detection-latency` the detection latency test, `alarm-pass` one
// alarm minute pass over 10,000 alarms, `retro-hunt` a retro-hunt over 1 million stored events, `insights-stats` a Logs
// Insights stats over 1,000,000 stored events, `archive` the archive's storage against the hot store and its write
// throughput; anything else goes to BenchmarkDotNet (e.g. --filter '*Subscription*').
if (args.Length > 0 && args[0] is KinesisLoadDriver.Verb or DetectionLatencyDriver.Verb or AlarmPassDriver.Verb or RetroHuntDriver.Verb
        or InsightsStatsDriver.Verb or ArchiveDriver.Verb)
{
    // The drivers boot services with WebApplicationFactory, which reads MvcTestingAppManifest.json (where each
    // service's content root is) from the working directory.
    Directory.SetCurrentDirectory(AppContext.BaseDirectory);
}

return args.Length > 0 && args[0] == KinesisLoadDriver.Verb
    ? await KinesisLoadDriver.RunAsync(args[1..])
    : args.Length > 0 && args[0] == DetectionLatencyDriver.Verb
    ? await DetectionLatencyDriver.RunAsync(args[1..])
    : args.Length > 0 && args[0] == AlarmPassDriver.Verb
    ? await AlarmPassDriver.RunAsync(args[1..])
    : args.Length > 0 && args[0] == RetroHuntDriver.Verb
    ? await RetroHuntDriver.RunAsync(args[1..])
    : args.Length > 0 && args[0] == InsightsStatsDriver.Verb
    ? await InsightsStatsDriver.RunAsync(args[1..])
    : args.Length > 0 && args[0] == ArchiveDriver.Verb
    ? await ArchiveDriver.RunAsync(args[1..])
    : RunBenchmarks(args);

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(SubscriptionParsingBenchmark).Assembly).Run(args);
    return 0;
}
