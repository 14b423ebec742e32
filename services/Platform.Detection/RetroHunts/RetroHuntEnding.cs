namespace Platform.Detection.RetroHunts;

/// <summary>What follows a change of a hunt's progress: progress in the log, and once it ended, its windows and compiled rules let go.</summary>
public sealed partial class RetroHuntEnding(RetroHuntStore hunts, RetroHuntRules rules, ILogger<RetroHuntEnding> logger)
{
    /// <summary>The hunt after a change that scanned <paramref name="scanned"/> more events.</summary>
    public async Task ProgressedAsync(RetroHuntRecord hunt, long scanned, CancellationToken cancellationToken)
    {
        if (hunt.Status == RetroHuntStatus.Running)
        {
            // Every tenth of the total.
            if (hunt.Total is > 0 and var total && scanned > 0 && (hunt.Scanned - scanned) * 10 / total < hunt.Scanned * 10 / total)
            {
                LogProgress(hunt.Id, hunt.Scanned, total, hunt.Findings);
            }
            return;
        }

        await EndedAsync(hunt, cancellationToken);
    }

    public async Task EndedAsync(RetroHuntRecord hunt, CancellationToken cancellationToken)
    {
        rules.Forget(hunt.Id);
        await hunts.RemoveWindowsAsync(hunt.Id, cancellationToken);
        LogEnded(hunt.Id, hunt.Status, hunt.Scanned, hunt.Total ?? 0, hunt.Findings, hunt.Failure);
    }

    [LoggerMessage(LogLevel.Information, "Retro-hunt {HuntId}: {Scanned} of {Total} events scanned, {Findings} findings")]
    private partial void LogProgress(Guid huntId, long scanned, long total, long findings);

    [LoggerMessage(LogLevel.Information, "Retro-hunt {HuntId} {Status}: {Scanned} of {Total} events scanned, {Findings} findings {Failure}")]
    private partial void LogEnded(Guid huntId, RetroHuntStatus status, long scanned, long total, long findings, string? failure);
}
