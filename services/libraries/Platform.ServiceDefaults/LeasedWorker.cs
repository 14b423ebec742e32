using System.ComponentModel.DataAnnotations;

namespace Platform.ServiceDefaults;

/// <summary>
/// The loop of a worker whose due work waits in Postgres rows it leases (deliveries, remediation attempts): leases a
/// batch under a <see cref="WorkLease"/> of its own, so that no other instance runs it at the same time; runs the batch
/// at once, renewing the lease every third of <see cref="LeasedWorkOptions.Lease"/> while it runs, and leases again
/// while there was work; otherwise waits for its <see cref="WakeSignal"/> or the poll interval. The lease is short and
/// lives only as long as its holder renews it: the work of an instance that died (or lost the database for a whole
/// lease) is taken over by another within one lease. A failed lease or renewal (the database is away) is logged and
/// tried again: the rows wait, leased or not. The schedule lives in the database, so it survives a restart.
/// </summary>
public abstract class LeasedWorker<TWork>(WakeSignal signal, LeasedWorkOptions options, TimeProvider clock) : BackgroundService
{
    /// <summary>The clock leases are taken, renewed and run out by.</summary>
    protected TimeProvider Clock => clock;

    /// <summary>Leases the work that is due now under <paramref name="lease"/>, at most as much as one instance runs at once.</summary>
    protected abstract Task<IReadOnlyList<TWork>> LeaseDueAsync(WorkLease lease, CancellationToken stoppingToken);

    /// <summary>Extends the lease of the rows <paramref name="lease"/>'s holder still holds to its <see cref="WorkLease.Until"/>.</summary>
    protected abstract Task RenewAsync(WorkLease lease, CancellationToken stoppingToken);

    /// <summary>Runs one leased piece of work and records how it went; stopping mid-way leaves it to the lease.</summary>
    protected abstract Task RunAsync(TWork work, CancellationToken stoppingToken);

    /// <summary>Logs that the due work could not be leased, or its lease not renewed.</summary>
    protected abstract void LeaseFailed(Exception exception);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var lease = WorkLease.Take(clock.GetUtcNow(), options.Lease);
                var due = await LeaseDueAsync(lease, stoppingToken);
                if (due.Count > 0)
                {
                    using var running = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    var renewing = RenewWhileRunningAsync(lease, running.Token);
                    try
                    {
                        await Task.WhenAll(due.Select(work => RunAsync(work, stoppingToken)));
                    }
                    finally
                    {
                        await running.CancelAsync();
                        await renewing;
                    }
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LeaseFailed(ex);
            }

            await signal.WaitAsync(options.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Every third of the lease, until the batch has run: the rows stay this holder's while it lives.</summary>
    private async Task RenewWhileRunningAsync(WorkLease lease, CancellationToken running)
    {
        while (!running.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Lease / 3, clock, running);
                await RenewAsync(lease.RenewedAt(clock.GetUtcNow(), options.Lease), running);
            }
            catch (OperationCanceledException) when (running.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LeaseFailed(ex);
            }
        }
    }
}

/// <summary>
/// A holder's lease on the rows it took: a holder id of its own (rows record it, so only it renews them or records
/// their outcome) and the time its rows are free for another holder unless it renews them first.
/// </summary>
public sealed record WorkLease(Guid Holder, DateTimeOffset Until)
{
    /// <summary>A new holder's lease from <paramref name="now"/>; to the microsecond, as Postgres keeps it.</summary>
    public static WorkLease Take(DateTimeOffset now, TimeSpan lease) => new(Guid.NewGuid(), Microseconds(now + lease));

    /// <summary>The same holder's lease, renewed at <paramref name="now"/>.</summary>
    public WorkLease RenewedAt(DateTimeOffset now, TimeSpan lease) => this with { Until = Microseconds(now + lease) };

    private static DateTimeOffset Microseconds(DateTimeOffset time) => time.AddTicks(-(time.UtcTicks % 10));
}

/// <summary>The settings every <see cref="LeasedWorker{TWork}"/> shares: how long a lease lasts unrenewed, how often it looks.</summary>
public abstract class LeasedWorkOptions
{
    /// <summary>
    /// How long an instance's lease on work lasts unless it renews it (it does every third of this while it works):
    /// the longest that work of an instance that died waits before another instance takes it over.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the worker looks for due work when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
