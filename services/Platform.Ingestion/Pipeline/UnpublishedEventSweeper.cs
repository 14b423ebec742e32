namespace Platform.Ingestion.Pipeline;

/// <summary>
/// Publishes events that were stored but whose publication never completed (the instance died in between)
/// and that no replay has picked up: at least once, never lost.
/// </summary>
public sealed partial class UnpublishedEventSweeper(
    RawLogStore store, LogEventPublisher publisher, IngestionOptions options, TimeProvider time, ILogger<UnpublishedEventSweeper> logger)
    : BackgroundService
{
    /// <returns>How many events were published.</returns>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var pending = await store.LoadPendingAsync(time.GetUtcNow() - options.SweepGrace, 4, cancellationToken);
            if (pending.Count == 0)
            {
                return total;
            }
            var published = await publisher.PublishAgainAsync(pending, cancellationToken);
            total += published;
            LogSwept(published);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(ex);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Published {Count} events whose publication had not completed")]
    private partial void LogSwept(int count);

    [LoggerMessage(LogLevel.Warning, "Publishing unpublished events failed; retrying at the next sweep")]
    private partial void LogSweepFailed(Exception exception);
}
