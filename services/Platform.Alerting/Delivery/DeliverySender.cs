using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Platform.Alerting.Delivery;

/// <summary>
/// Sends due deliveries: leases a batch (so no other instance sends them at the same time; the lease is renewed while
/// the batch runs, and a crashed sender's rows are taken over within one <see cref="LeasedWorkOptions.Lease"/>), sends
/// each once under its idempotency key, records each attempt as soon as its outcome is known, and either marks the row
/// delivered, schedules the next attempt with exponential backoff and jitter, or gives up: dead after the last attempt,
/// failed at once when trying again cannot help (a refused address). Woken by the scheduler, otherwise polling.
/// A crash between a send and its record is the one window in which a subscriber receives a delivery twice (under the
/// same idempotency key): the attempt taken over is counted on the row (<see cref="DeliveryView.TakenOver"/>) and on
/// <c>platform.alerting.deliveries.taken_over</c>.
/// </summary>
public sealed partial class DeliverySender(
    DeliveryStore store,
    DeliveryChannels channels,
    DeliveryTargets targets,
    IServiceProvider services,
    DeliverySignal signal,
    DeliveryOptions options,
    TimeProvider clock,
    IMeterFactory meters,
    ILogger<DeliverySender> logger) : LeasedWorker<DeliveryWork>(signal, options, clock)
{
    /// <summary>The alerting service's one meter (exported by the service defaults, as every service's <c>Platform.*</c> meter).</summary>
    public const string MeterName = "Platform.Alerting";

    private readonly Counter<long> _takenOver = meters.Create(MeterName).CreateCounter<long>(
        "platform.alerting.deliveries.taken_over", "{attempt}",
        "Delivery attempts taken over from a sender whose lease ran out before it recorded them: each may have been sent twice.");

    protected override async Task<IReadOnlyList<DeliveryWork>> LeaseDueAsync(WorkLease lease, CancellationToken stoppingToken)
    {
        var due = await store.LeaseDueAsync(Clock.GetUtcNow(), lease, options.ConcurrentSends, stoppingToken);
        foreach (var work in due.Where(w => w.TakenOver))
        {
            _takenOver.Add(1, new KeyValuePair<string, object?>("protocol", work.Protocol));
            LogTakenOver(work.Id, work.Target, work.Protocol, work.IdempotencyKey);
        }
        return due;
    }

    protected override Task RenewAsync(WorkLease lease, CancellationToken stoppingToken) => store.RenewAsync(lease, stoppingToken);

    protected override void LeaseFailed(Exception exception) => LogSenderFailed(exception);

    protected override async Task RunAsync(DeliveryWork work, CancellationToken stoppingToken)
    {
        var startedAt = Clock.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        AttemptResult result;
        try
        {
            result = work.Protocol == DeliveryProtocols.None
                ? await ResolveAgainAsync(work, stoppingToken)
                : await channels.SendAsync(work, startedAt, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down mid-send: the lease runs out and another instance (or this one, restarted) sends it again.
            return;
        }
        catch (Exception ex)
        {
            result = new AttemptResult(false, null, ex.Message, null);
        }
        var duration = Stopwatch.GetElapsedTime(started);

        var attempt = work.Attempts - work.RetriedAfter + 1;
        var now = Clock.GetUtcNow();
        var (status, next) = result switch
        {
            { Delivered: true } => (DeliveryStatus.Delivered, now),
            { Permanent: true } => (DeliveryStatus.Failed, now),
            _ when attempt >= options.MaxAttempts => (DeliveryStatus.Dead, now),
            _ => (DeliveryStatus.Pending, now + Backoff(attempt)),
        };
        if (!await RecordAsync(work, startedAt, duration, result, status, next, now, stoppingToken))
        {
            LogLeaseLost(work.Id);
            return;
        }
        switch (status)
        {
            case DeliveryStatus.Delivered:
                LogDelivered(work.Id, work.Target, work.Protocol, attempt, result.StatusCode);
                break;
            case DeliveryStatus.Pending:
                LogWillRetry(work.Id, work.Target, work.Protocol, attempt, result.Error, next);
                break;
            default:
                LogGaveUp(work.Id, work.Target, work.Protocol, status, attempt, result.Error);
                break;
        }
    }

    /// <summary>
    /// Records the attempt, trying again while the database is away (a restart): the row stays this holder's until its
    /// lease runs out and no other sender can take it while the database is away, so recording late is still recording
    /// before anyone sends it again. Given up only when stopping (the lease then runs out, and the next holder's attempt
    /// counts as taken over).
    /// </summary>
    private async Task<bool> RecordAsync(
        DeliveryWork work, DateTimeOffset startedAt, TimeSpan duration, AttemptResult result, string status, DateTimeOffset next,
        DateTimeOffset now, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                return await store.RecordAttemptAsync(work, startedAt, duration, result, status, next, now, CancellationToken.None);
            }
            catch (Exception ex) when (TransientFailures.IsTransient(ex) && !stoppingToken.IsCancellationRequested)
            {
                LogRecordFailed(ex, work.Id);
                // Real time: it waits for the database, not for the service's (possibly simulated) clock.
                await Task.Delay(options.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>
    /// A delivery recorded against a target that named nothing, retried: when the target names something now, it is
    /// scheduled to its subscribers (under the same idempotency key) and this row is done.
    /// </summary>
    private async Task<AttemptResult> ResolveAgainAsync(DeliveryWork work, CancellationToken cancellationToken)
    {
        if (targets.Resolve(work.Target, out var reason) is not { } subscribers)
        {
            return AttemptResult.Refused($"target {reason}");
        }
        var scheduler = services.GetRequiredService<IDeliveryScheduler>();
        await scheduler.ScheduleAsync(work.Target, new DeliveryMessage(work.IdempotencyKey, work.Subject, JsonNode.Parse(work.Body)!), cancellationToken);
        return new AttemptResult(true, null, null, $"scheduled to {subscribers.Count} subscriber(s): {string.Join(", ", subscribers.Select(s => s.Protocol))}");
    }

    /// <summary>
    /// The wait after failed attempt <paramref name="attempt"/>: the initial backoff doubled per attempt, capped at the
    /// maximum, half of it random ("equal jitter"), so subscribers that failed together are not retried together.
    /// </summary>
    public TimeSpan Backoff(int attempt)
    {
        var exponential = options.InitialBackoff.Ticks * Math.Pow(2, Math.Min(attempt - 1, 40));
        var capped = Math.Min(exponential, options.MaxBackoff.Ticks);
        return TimeSpan.FromTicks((long)(capped / 2 + Random.Shared.NextDouble() * capped / 2));
    }

    [LoggerMessage(LogLevel.Information, "Delivery {Id} to {Target} ({Protocol}) delivered on attempt {Attempt} (status {StatusCode})")]
    private partial void LogDelivered(Guid id, string target, string protocol, int attempt, int? statusCode);

    [LoggerMessage(LogLevel.Warning, "Delivery {Id} to {Target} ({Protocol}) failed on attempt {Attempt}: {Error}; next attempt at {Next}")]
    private partial void LogWillRetry(Guid id, string target, string protocol, int attempt, string? error, DateTimeOffset next);

    [LoggerMessage(LogLevel.Error, "Delivery {Id} to {Target} ({Protocol}) is {Status} after attempt {Attempt}: {Error}")]
    private partial void LogGaveUp(Guid id, string target, string protocol, string status, int attempt, string? error);

    [LoggerMessage(LogLevel.Warning,
        "Delivery {Id} to {Target} ({Protocol}): taken over from a sender whose lease ran out before it recorded its attempt; " +
        "if that attempt was sent, the subscriber receives it twice under idempotency key {IdempotencyKey}")]
    private partial void LogTakenOver(Guid id, string target, string protocol, string idempotencyKey);

    [LoggerMessage(LogLevel.Warning, "Delivery {Id}: the lease ran out before the attempt was recorded; the sender that holds it now records its own")]
    private partial void LogLeaseLost(Guid id);

    [LoggerMessage(LogLevel.Warning, "Delivery {Id}: its attempt could not be recorded (the database is away); trying again")]
    private partial void LogRecordFailed(Exception ex, Guid id);

    [LoggerMessage(LogLevel.Error, "The delivery sender could not lease due deliveries or renew their lease; trying again")]
    private partial void LogSenderFailed(Exception ex);
}
