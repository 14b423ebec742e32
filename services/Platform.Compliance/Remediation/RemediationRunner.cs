using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Platform.Compliance.Remediation;

/// <summary>
/// Runs due remediation attempts: leases a batch (so no other instance runs them at the same time; the lease is renewed
/// while they run, and a stopped instance's attempts are taken over when its lease runs out), runs each against its target once, and records the
/// outcome — which schedules the retry, or ends the execution. Woken when something is queued, otherwise polling; the
/// schedule lives in Postgres, so it survives a restart.
/// </summary>
public sealed partial class RemediationRunner(
    IServiceScopeFactory scopes,
    LiveRemediations configurations,
    RemediationTargets targets,
    RemediationSignal signal,
    RemediationOptions options,
    ComplianceTelemetry telemetry,
    TimeProvider clock,
    ILogger<RemediationRunner> logger) : LeasedWorker<LeasedAttempt>(signal, options, clock)
{
    protected override async Task<IReadOnlyList<LeasedAttempt>> LeaseDueAsync(WorkLease lease, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RemediationExecutions>()
            .LeaseDueAsync(configurations, lease, options.ConcurrentAttempts, stoppingToken);
    }

    protected override async Task RenewAsync(WorkLease lease, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RemediationExecutions>().RenewAsync(lease, stoppingToken);
    }

    protected override void LeaseFailed(Exception exception) => LogRunnerFailed(exception);

    protected override async Task RunAsync(LeasedAttempt leased, CancellationToken stoppingToken)
    {
        var execution = leased.Execution;
        var configuration = leased.Configuration;
        var started = Stopwatch.GetTimestamp();
        string? error;
        try
        {
            error = await targets.RunAsync(leased, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping mid-attempt: the lease runs out and another instance (or this one, restarted) runs it again.
            return;
        }
        catch (Exception ex)
        {
            error = ex.Message;
        }
        var duration = Stopwatch.GetElapsedTime(started);

        object? outcome;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            outcome = await scope.ServiceProvider.GetRequiredService<RemediationExecutions>()
                .RecordOutcomeAsync(leased, error, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Unrecorded: the lease runs out and the attempt is run again.
            LogOutcomeNotRecorded(ex, configuration.ConfigRuleName, execution.ResourceType, execution.ResourceId, leased.Attempt);
            return;
        }

        var result = outcome switch
        {
            RemediationCompleted => "succeeded",
            RemediationFailed { WillRetry: true } => "failed",
            RemediationFailed => "gave_up",
            _ => "lease_lost",
        };
        var tags = new TagList
        {
            { "target_type", configuration.TargetType }, { "target_id", configuration.TargetId },
            { "result", result }, { "automatic", execution.Automatic },
        };
        telemetry.RemediationAttempts.Add(1, tags);
        telemetry.RemediationDuration.Record(duration.TotalSeconds, tags);
        switch (outcome)
        {
            case RemediationCompleted:
                LogSucceeded(configuration.ConfigRuleName, execution.ResourceType, execution.ResourceId, configuration.TargetId, leased.Attempt);
                break;
            case RemediationFailed { WillRetry: true }:
                LogWillRetry(configuration.ConfigRuleName, execution.ResourceType, execution.ResourceId, configuration.TargetId, leased.Attempt,
                    error, configuration.RetryInterval);
                break;
            case RemediationFailed:
                LogGaveUp(configuration.ConfigRuleName, execution.ResourceType, execution.ResourceId, configuration.TargetId, leased.Attempt, error);
                break;
            default:
                LogLeaseLost(configuration.ConfigRuleName, execution.ResourceType, execution.ResourceId, leased.Attempt);
                break;
        }
    }

    [LoggerMessage(LogLevel.Information, "Remediation of {ResourceType} {ResourceId} by rule {ConfigRuleName} ({TargetId}) succeeded on attempt {Attempt}")]
    private partial void LogSucceeded(string configRuleName, string resourceType, string resourceId, string targetId, int attempt);

    [LoggerMessage(LogLevel.Warning,
        "Remediation of {ResourceType} {ResourceId} by rule {ConfigRuleName} ({TargetId}) failed on attempt {Attempt}: {Error}; retrying in {RetryInterval}")]
    private partial void LogWillRetry(string configRuleName, string resourceType, string resourceId, string targetId, int attempt, string? error, TimeSpan retryInterval);

    [LoggerMessage(LogLevel.Error,
        "Remediation of {ResourceType} {ResourceId} by rule {ConfigRuleName} ({TargetId}) failed on attempt {Attempt}, the last: {Error}")]
    private partial void LogGaveUp(string configRuleName, string resourceType, string resourceId, string targetId, int attempt, string? error);

    [LoggerMessage(LogLevel.Warning,
        "Remediation of {ResourceType} {ResourceId} by rule {ConfigRuleName}: the lease of attempt {Attempt} ran out before its outcome was recorded; the instance holding it now records its own")]
    private partial void LogLeaseLost(string configRuleName, string resourceType, string resourceId, int attempt);

    [LoggerMessage(LogLevel.Error,
        "Remediation of {ResourceType} {ResourceId} by rule {ConfigRuleName}: the outcome of attempt {Attempt} was not recorded; it runs again when its lease runs out")]
    private partial void LogOutcomeNotRecorded(Exception ex, string configRuleName, string resourceType, string resourceId, int attempt);

    [LoggerMessage(LogLevel.Error, "The remediation runner could not lease due attempts or renew their lease; trying again")]
    private partial void LogRunnerFailed(Exception ex);
}
