namespace Platform.ServiceDefaults;

/// <summary>
/// Wakes a polling background worker when there is work (something was scheduled), so the work does not wait for the
/// next poll. Each worker subclasses it, so its singleton is its own.
/// </summary>
public abstract class WakeSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Wake()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
    }

    /// <summary>Waits until woken or <paramref name="timeout"/> passes.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);
}
