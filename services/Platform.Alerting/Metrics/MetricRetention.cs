namespace Platform.Alerting.Metrics;

/// <summary>
/// Keeps the metric tables bounded: data points older than <see cref="MetricEvaluator.Retention"/> (CloudWatch's 15 days
/// of 1-minute points), series published to in none of that time, and the batch records as old. Every instance may run
/// it; the deletes are idempotent.
/// </summary>
public sealed partial class MetricRetention(MetricStore store, TimeProvider clock, ILogger<MetricRetention> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var cutoff = clock.GetUtcNow() - MetricEvaluator.Retention;
                LogRemoved(await store.RemoveOlderThanAsync(cutoff, stoppingToken), cutoff);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRetentionFailed(ex);
            }
            await Task.Delay(Interval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(LogLevel.Debug, "Removed {Count} metric data points older than {Cutoff}")]
    private partial void LogRemoved(int count, DateTimeOffset cutoff);

    [LoggerMessage(LogLevel.Warning, "Metric retention failed; it runs again at the next interval")]
    private partial void LogRetentionFailed(Exception exception);
}
