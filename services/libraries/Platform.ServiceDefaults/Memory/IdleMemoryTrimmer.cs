namespace Platform.ServiceDefaults.Memory;

/// <summary>
/// Gives memory back once a service goes quiet. The GC runs only when code allocates, so after a burst (large
/// uploads, a hostile probe) an idle service kept its peak heap, its large request buffers and the pooled arrays
/// for good: ingestion held 1.9 GB at rest. When the service has allocated a lot since the last trim and almost
/// nothing in the last interval, this runs one aggressive collection, which compacts, decommits what it freed and
/// lets the shared array pools trim. It never runs under load and at most once per quiet spell.
/// </summary>
internal sealed partial class IdleMemoryTrimmer(TimeProvider clock, ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(20);
    private const long BurstBytes = 256L << 20;
    private const long QuietBytes = 16L << 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var atLastTrim = GC.GetTotalAllocatedBytes();
        var previous = atLastTrim;
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = GC.GetTotalAllocatedBytes();
            if (now - atLastTrim >= BurstBytes && now - previous < QuietBytes)
            {
                var before = Environment.WorkingSet;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                LogTrimmed(before >> 20, Environment.WorkingSet >> 20);
                now = atLastTrim = GC.GetTotalAllocatedBytes();
            }
            previous = now;
        }
    }

    [LoggerMessage(LogLevel.Information, "Quiet after a burst: gave memory back ({BeforeMb} MB -> {AfterMb} MB resident)")]
    private partial void LogTrimmed(long beforeMb, long afterMb);
}
