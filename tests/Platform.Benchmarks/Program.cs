using BenchmarkDotNet.Running;
using Platform.Benchmarks;

// `load-kinesis` drives the end-to-end load test, `detection-latency` the detection latency test, `alarm-pass` one
// alarm minute pass over 10,000 alarms, `retro-hunt` a retro-hunt over 1 million stored events, `insights-stats` a Logs
// Insights stats over 1,000,000 stored events, `archive` the archive's storage against the hot store and its write
// throughput, `bench` the whole pipeline under load (`./platform bench`; `bench-service` is one of its services); anything
// else goes to BenchmarkDotNet (e.g. --filter '*Subscription*').
var drivers = new Dictionary<string, Func<string[], Task<int>>>
{
    [KinesisLoadDriver.Verb] = KinesisLoadDriver.RunAsync,
    [DetectionLatencyDriver.Verb] = DetectionLatencyDriver.RunAsync,
    [AlarmPassDriver.Verb] = AlarmPassDriver.RunAsync,
    [RetroHuntDriver.Verb] = RetroHuntDriver.RunAsync,
    [InsightsStatsDriver.Verb] = InsightsStatsDriver.RunAsync,
    [ArchiveDriver.Verb] = ArchiveDriver.RunAsync,
    [BenchDriver.Verb] = BenchDriver.RunAsync,
    [BenchService.Verb] = BenchService.RunAsync,
};

if (args.Length > 0 && drivers.TryGetValue(args[0], out var driver))
{
    // The drivers boot services with WebApplicationFactory, which reads MvcTestingAppManifest.json (where each
    // service's content root is) from the working directory.
    Directory.SetCurrentDirectory(AppContext.BaseDirectory);
    return await driver(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(SubscriptionParsingBenchmark).Assembly).Run(args);
return 0;
