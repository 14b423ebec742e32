using Npgsql;
using Platform.Database;

namespace Platform.Compliance.Evaluation;

/// <summary>Wakes this instance's run pass at once (a rule applied or a run requested here) instead of at its next poll.</summary>
public sealed class RuleRunSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already awake.
            }
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>
/// Runs the rules whose run is due: re-evaluation after creation, change or request, and periodic rules on their
/// frequency. One instance runs each pass (a session advisory lock elects it; the others skip it), so N instances do
/// not judge everything N times; a run cut short by a crash stays due and the next pass, anywhere, runs it again.
/// </summary>
public sealed partial class RuleRunPass(
    IServiceScopeFactory scopes, NpgsqlDataSource dataSource, LiveConfigRules live, RuleRunSignal signal, EvaluationOptions options,
    TimeProvider clock, ILogger<RuleRunPass> logger) : BackgroundService
{
    private const long PassLockKey = 0x5043_5255_4C45_5255; // "PCRULERU"

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await signal.WaitAsync(options.RunPollInterval, stoppingToken);
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

    /// <summary>One pass over the due runs; false when another instance holds the pass.</summary>
    public Task<bool> RunAsync(CancellationToken cancellationToken) => AdvisoryLock.TryRunAsync(dataSource, PassLockKey, async token =>
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ComplianceDbContext>();
        var now = clock.GetUtcNow();
        var due = await db.Set<ConfigRuleRecord>().AsNoTracking()
            .Where(r => !r.Deleted && r.RunDueAt != null && r.RunDueAt <= now)
            .OrderBy(r => r.RunDueAt)
            .ToListAsync(token);
        foreach (var row in due)
        {
            await RunRuleAsync(scope.ServiceProvider, row, token);
        }
        await db.Database.ExecuteSqlAsync($"DELETE FROM evaluation_result_tokens WHERE expires_at < {now}", token);
    }, cancellationToken);

    private async Task RunRuleAsync(IServiceProvider services, ConfigRuleRecord row, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<ComplianceDbContext>();
        if (live.Find(row.Name) is not { } rule || rule.Version < row.ProvisionedVersion)
        {
            // This instance has not heard of this version yet: the run stays due for a later pass.
            return;
        }
        var started = clock.GetUtcNow();
        await UpdateAsync(db, row.Name, r => r
            .SetProperty(x => x.RunState, RuleRunStates.InProgress)
            .SetProperty(x => x.RunStartedAt, started)
            .SetProperty(x => x.RunFinishedAt, (DateTimeOffset?)null)
            .SetProperty(x => x.RunResourcesEvaluated, 0)
            .SetProperty(x => x.RunError, (string?)null), cancellationToken);

        var error = rule.Error;
        if (rule.Rule is { } compiled)
        {
            try
            {
                error = await services.GetRequiredService<RuleEvaluator>().RunAsync(compiled, (done, total) => UpdateAsync(db, row.Name, r => r
                    .SetProperty(x => x.RunResourcesEvaluated, done)
                    .SetProperty(x => x.RunResourcesTotal, total), cancellationToken), cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // One rule's failure (its items unreadable, the database refusing) fails its run, not the pass: the others still run.
                LogRunFailed(ex, row.Name);
                error = ex.Message;
                db.ChangeTracker.Clear();
            }
        }

        var finished = clock.GetUtcNow();
        DateTimeOffset? next = rule.Rule?.Frequency is { } frequency ? started + frequency : null;
        // A run asked for while this one ran (a request, a change) stays due; otherwise the schedule says when, if it has one.
        var dueRead = row.RunDueAt;
        var outcome = error is null ? RuleRunStates.Succeeded : RuleRunStates.Failed;
        await db.Set<ConfigRuleRecord>().Where(r => r.Name == row.Name).ExecuteUpdateAsync(r => r
            .SetProperty(x => x.RunState, x => x.RunDueAt > dueRead ? RuleRunStates.Pending : outcome)
            .SetProperty(x => x.RunFinishedAt, finished)
            .SetProperty(x => x.RunError, error)
            .SetProperty(x => x.RunDueAt, x => x.RunDueAt > dueRead ? x.RunDueAt : next), cancellationToken);
        LogRan(row.Name, error ?? "succeeded");
    }

    private static Task<int> UpdateAsync(
        ComplianceDbContext db, string name,
        Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<ConfigRuleRecord>> set, CancellationToken cancellationToken) =>
        db.Set<ConfigRuleRecord>().Where(r => r.Name == name).ExecuteUpdateAsync(set, cancellationToken);

    [LoggerMessage(LogLevel.Information, "Config rule {Name} ran over every applicable resource: {Outcome}")]
    private partial void LogRan(string name, string outcome);

    [LoggerMessage(LogLevel.Error, "Config rule {Name}'s run failed")]
    private partial void LogRunFailed(Exception exception, string name);

    [LoggerMessage(LogLevel.Error, "The config rule run pass failed")]
    private partial void LogFailed(Exception exception);
}
