namespace Platform.Database;

/// <summary>
/// Runs the migrations in <see cref="StartAsync"/>: hosted services start before the web server
/// listens, so the service takes no traffic until its schema is current.
/// </summary>
internal sealed partial class MigrationHostedService(SchemaMigrator migrator, ILogger<MigrationHostedService> logger) : IHostedService
{
    private static readonly TimeSpan WaitForServer = TimeSpan.FromMinutes(2);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + WaitForServer;
        while (true)
        {
            try
            {
                await migrator.MigrateAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && DateTime.UtcNow < deadline)
            {
                LogWaiting(ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Warning, "Database not reachable yet ({Reason}); retrying migrations")]
    private partial void LogWaiting(string reason);
}
