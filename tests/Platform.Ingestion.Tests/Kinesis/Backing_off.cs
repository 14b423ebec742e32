namespace Platform.Ingestion.Tests.Kinesis;

public sealed class Backing_off
{
    [Fact]
    public void Doubles_per_attempt_with_at_most_half_dropped_as_jitter()
    {
        var initial = TimeSpan.FromMilliseconds(100);
        var max = TimeSpan.FromSeconds(30);
        for (var attempt = 0; attempt < 6; attempt++)
        {
            var full = 100 * Math.Pow(2, attempt);
            for (var i = 0; i < 50; i++)
            {
                var delay = Backoff.Delay(attempt, initial, max).TotalMilliseconds;
                Assert.InRange(delay, full / 2, full);
            }
        }
    }

    [Fact]
    public void Never_waits_longer_than_the_maximum()
    {
        var delay = Backoff.Delay(40, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));

        Assert.InRange(delay, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Spreads_the_retries_of_consumers_throttled_together()
    {
        var delays = Enumerable.Range(0, 20).Select(_ => Backoff.Delay(3, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30))).Distinct().Count();

        Assert.True(delays > 10, $"only {delays} distinct delays of 20");
    }
}
