namespace Platform.Archiver.Writing;

/// <summary>Runs an archive pass every <see cref="ArchiverOptions.PollInterval"/>; a failed pass is retried on the next.</summary>
public sealed partial class ArchiveWriterService(ArchiveWriter writer, ArchiverOptions options, TimeProvider clock, ILogger<ArchiveWriterService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await writer.RunAsync(flush: false, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPassFailed(ex);
            }
            await Task.Delay(options.PollInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(LogLevel.Warning, "An archive pass failed; the next pass writes what it left planned")]
    private partial void LogPassFailed(Exception ex);
}
