namespace Platform.Detection.Correlation;

/// <summary>
/// Deletes correlation observations no window can need any more: older than the longest timespan of the
/// loaded correlations plus the lateness the service accepts. Every instance may run it; deletes are idempotent.
/// </summary>
public sealed partial class CorrelationWindowCleanup(
    ICorrelationWindowStore windows,
    RuleCatalog catalog,
    DetectionOptions options,
    TimeProvider clock,
    ILogger<CorrelationWindowCleanup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CorrelationCleanupInterval, clock);
        while (await WaitAsync(timer, stoppingToken))
        {
            try
            {
                var cutoff = clock.GetUtcNow() - catalog.Current.LongestTimespan - options.CorrelationLateness;
                var removed = await windows.RemoveOlderThanAsync(cutoff, stoppingToken);
                LogCleaned(removed, cutoff);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCleanupFailed(ex);
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(LogLevel.Debug, "Removed {Count} correlation observations older than {Cutoff}")]
    private partial void LogCleaned(int count, DateTimeOffset cutoff);

    [LoggerMessage(LogLevel.Warning, "Correlation window cleanup failed; it runs again at the next interval")]
    private partial void LogCleanupFailed(Exception exception);
}
