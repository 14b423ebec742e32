namespace Platform.Testing;

/// <summary>Waits for asynchronous effects (a message consumed, a lease taken over) without fixed sleeps.</summary>
public static class Eventually
{
    /// <summary>
    /// Observes until <paramref name="done"/> holds or the timeout passes, and returns the last observation
    /// so the test asserts on it (and its failure message shows what was seen).
    /// </summary>
    public static async Task<T> ObserveAsync<T>(Func<Task<T>> observe, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await observe();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }
            await Task.Delay(100);
        }
    }
}
