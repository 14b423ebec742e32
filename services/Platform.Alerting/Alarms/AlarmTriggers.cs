namespace Platform.Alerting.Alarms;

/// <summary>
/// Evaluates every alarm once a minute, at the start of each minute by the service's clock. One instance runs each
/// pass (a session advisory lock elects it; the others skip that minute), so N instances do not do the work N times.
/// </summary>
public sealed partial class AlarmMinutePass(
    IServiceScopeFactory scopes, NpgsqlDataSource dataSource, TimeProvider clock, ILogger<AlarmMinutePass> logger) : BackgroundService
{
    private const long PassLockKey = 0x5043_414C_4152_4D53; // "PCALARMS"

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var delay = AlarmStateMachine.EvaluationEnd(now) - now;
            try
            {
                await Task.Delay(delay, clock, stoppingToken);
                await RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(ex);
            }
        }
    }

    /// <summary>One pass over every alarm; false when another instance holds the pass.</summary>
    public Task<bool> RunAsync(CancellationToken cancellationToken) => Platform.Database.AdvisoryLock.TryRunAsync(dataSource, PassLockKey, async token =>
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlertingDbContext>();
        var rows = await db.Alarms.AsNoTracking().Where(a => !a.Deleted).ToListAsync(token);
        var changed = await scope.ServiceProvider.GetRequiredService<AlarmEvaluator>().EvaluateAsync(rows, token);
        LogPass(rows.Count, changed);
    }, cancellationToken);

    [LoggerMessage(LogLevel.Debug, "Evaluated {Count} alarms: {Changed} changed state")]
    private partial void LogPass(int count, int changed);

    [LoggerMessage(LogLevel.Error, "The alarm minute pass failed")]
    private partial void LogFailed(Exception exception);
}

/// <summary>Evaluates the alarms on a metric as soon as its data points are committed, so an alarm does not wait for the minute.</summary>
public sealed class AlarmMetricDataListener(IServiceScopeFactory scopes) : IMetricDataListener
{
    public async Task OnMetricDataAsync(IReadOnlyCollection<MetricIdentity> metrics, CancellationToken cancellationToken)
    {
        var keys = metrics.Select(AlarmMetricKey.Of).Distinct().ToArray();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlertingDbContext>();
        var rows = await db.Alarms.AsNoTracking().Where(a => !a.Deleted && keys.Contains(a.MetricKey)).ToListAsync(cancellationToken);
        if (rows.Count > 0)
        {
            await scope.ServiceProvider.GetRequiredService<AlarmEvaluator>().EvaluateAsync(rows, cancellationToken);
        }
    }
}
