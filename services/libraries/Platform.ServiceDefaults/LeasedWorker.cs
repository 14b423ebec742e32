using System.ComponentModel.DataAnnotations;

namespace Platform.ServiceDefaults;

/// <summary>
/// The loop of a worker whose due work waits in Postgres rows it leases (deliveries, remediation attempts): leases a
/// batch, so that no other instance runs it at the same time and a stopped instance's work is taken over when its lease
/// runs out; runs the batch at once and leases again while there was work; otherwise waits for its
/// <see cref="WakeSignal"/> or the poll interval. A failed lease (the database is away) is logged and tried again after
/// the wait: the rows wait, leased or not. The schedule lives in the database, so it survives a restart.
/// </summary>
public abstract class LeasedWorker<TWork>(WakeSignal signal, LeasedWorkOptions options) : BackgroundService
{
    /// <summary>Leases the work that is due now, at most as much as one instance runs at once.</summary>
    protected abstract Task<IReadOnlyList<TWork>> LeaseDueAsync(CancellationToken stoppingToken);

    /// <summary>Runs one leased piece of work and records how it went; stopping mid-way leaves it to the lease.</summary>
    protected abstract Task RunAsync(TWork work, CancellationToken stoppingToken);

    /// <summary>Logs that the due work could not be leased.</summary>
    protected abstract void LeaseFailed(Exception exception);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var due = await LeaseDueAsync(stoppingToken);
                if (due.Count > 0)
                {
                    await Task.WhenAll(due.Select(work => RunAsync(work, stoppingToken)));
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
}

/// <summary>The settings every <see cref="LeasedWorker{TWork}"/> shares: how long it holds work, how often it looks.</summary>
public abstract class LeasedWorkOptions
{
    /// <summary>How long an instance holds work it runs; another instance takes it over only after this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the worker looks for due work when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
