namespace Platform.Ingestion.Kinesis;

/// <summary>
/// Runs a <see cref="ShardLeaseCoordinator"/> for every enabled source on this instance, starting and stopping them
/// as sources are provisioned, changed, disabled or deleted. On shutdown it hands its leases over.
/// </summary>
public sealed partial class KinesisSourceWorker(
    KinesisSourceRegistry registry,
    ShardLeaseCoordinatorFactory coordinators,
    KinesisOptions options,
    TimeProvider time,
    ILogger<KinesisSourceWorker> logger) : BackgroundService
{
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, RunningSource> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SourceSpec> _reportedInvalid = new(StringComparer.Ordinal);
    private bool _loaded;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await LoadAsync(stoppingToken);
                await ReconcileAsync();
                await registry.WaitForChangeAsync(options.SourceRefreshInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            foreach (var name in _running.Keys.ToArray())
            {
                await StopAsync(name);
            }
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }
        try
        {
            await registry.LoadAsync(cancellationToken);
            _loaded = true;
        }
        catch (Npgsql.NpgsqlException ex)
        {
            LogLoadFailed(ex);
        }
    }

    private async Task ReconcileAsync()
    {
        var desired = new Dictionary<string, KinesisSource>(StringComparer.Ordinal);
        foreach (var (name, spec) in registry.Current())
        {
            if (!spec.Enabled)
            {
                continue;
            }
            if (KinesisSource.TryResolve(name, spec, options.DefaultRegion, out var source, out var error))
            {
                desired[name] = source!;
            }
            else if (!_reportedInvalid.TryGetValue(name, out var reported) || reported != spec)
            {
                _reportedInvalid[name] = spec;
                LogInvalidSource(name, error!);
            }
        }

        foreach (var (name, running) in _running.ToArray())
        {
            if (!desired.TryGetValue(name, out var wanted) || wanted != running.Coordinator.Source)
            {
                await StopAsync(name);
            }
        }
        foreach (var (name, source) in desired)
        {
            if (!_running.ContainsKey(name))
            {
                var coordinator = coordinators.Create(source);
                var stop = new CancellationTokenSource();
                _running[name] = new RunningSource(coordinator, stop, coordinator.RunAsync(stop.Token));
                LogSourceStarted(name, source.StreamName);
            }
        }
    }

    private async Task StopAsync(string name)
    {
        if (!_running.Remove(name, out var running))
        {
            return;
        }
        await running.Stop.CancelAsync();
        await running.Run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            using var timeout = new CancellationTokenSource(ReleaseTimeout, time);
            await running.Coordinator.ReleaseLeasesAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or OperationCanceledException)
        {
            // The leases expire on their own; another instance takes them then.
            LogReleaseFailed(ex, name);
        }
        running.Stop.Dispose();
        LogSourceStopped(name);
    }

    private sealed record RunningSource(ShardLeaseCoordinator Coordinator, CancellationTokenSource Stop, Task Run);

    [LoggerMessage(LogLevel.Warning, "Could not read the provisioned Kinesis sources; using configured ones until the database answers")]
    private partial void LogLoadFailed(Exception exception);

    [LoggerMessage(LogLevel.Error, "Source {Source} cannot be consumed: {Reason}")]
    private partial void LogInvalidSource(string source, string reason);

    [LoggerMessage(LogLevel.Information, "Started consuming source {Source} (stream {Stream})")]
    private partial void LogSourceStarted(string source, string stream);

    [LoggerMessage(LogLevel.Information, "Stopped consuming source {Source}")]
    private partial void LogSourceStopped(string source);

    [LoggerMessage(LogLevel.Warning, "Could not release the leases of source {Source}; they will expire")]
    private partial void LogReleaseFailed(Exception exception, string source);
}
