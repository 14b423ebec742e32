namespace Platform.Ingestion.Storage;

/// <summary>Runs <see cref="LogRetention"/> at start and then every configured interval.</summary>
public sealed partial class RetentionJob(LogRetention retention, IngestionOptions options, TimeProvider time, ILogger<RetentionJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.RetentionInterval, time);
        do
        {
            try
            {
                await retention.EnforceAsync(time.GetUtcNow(), stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(LogLevel.Warning, "Enforcing retention failed; retrying at the next run")]
    private partial void LogFailed(Exception exception);
}
