namespace Platform.Ingestion.Kinesis;

/// <summary>Exponential backoff with jitter, so instances throttled together do not retry together.</summary>
public static class Backoff
{
    /// <summary>
    /// The wait before retry <paramref name="attempt"/> (0-based): <paramref name="initial"/> doubled per attempt,
    /// capped at <paramref name="max"/>, then a random half of it dropped ("equal jitter").
    /// </summary>
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max, Random? random = null)
    {
        var exponential = initial.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt, 0, 30));
        var capped = Math.Min(exponential, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + (random ?? Random.Shared).NextDouble() * capped / 2);
    }
}
