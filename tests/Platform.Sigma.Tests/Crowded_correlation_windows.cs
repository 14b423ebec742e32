using System.Diagnostics;

namespace Platform.Sigma.Tests;

/// <summary>
/// Under an attack a group's window holds every observation of a timespan, and a batch adds hundreds more at once:
/// judging the batch must cost about the window's size per observation, not that times the batch (sequences rescanned
/// for every later observation, every row looked up again for every observation).
/// </summary>
public class Crowded_correlation_windows
{
    // Rule keys of equal length, as the shipped rules' ids are: comparing them reads every character.
    private const string Rules = """
        title: Failure then success
        correlation:
            type: temporal_ordered
            rules:
                - login_failed
                - login_passed
            group-by:
                - sourceIP
            timespan: 1h
        ---
        title: Failed login
        name: login_failed
        logsource:
            product: aws
            service: application
        detection:
            selection:
                status: FAILED
            condition: selection
        ---
        title: Successful login
        name: login_passed
        logsource:
            product: aws
            service: application
        detection:
            selection:
                status: SUCCESS
            condition: selection
        """;

    [Fact]
    public async Task A_flood_four_times_larger_costs_about_four_times_as_much_not_sixteen()
    {
        // Judged against the same window, a flood of 800 visits about 800 × 3,800 window rows and one of 200 about
        // 200 × 3,200: 4.75 times as many. The rescanning this replaced grew with the square of the flood (or worse):
        // 16 times and more. The cost is compared with itself in the same run (the quickest of three tries each, so a
        // busy moment of the machine does not decide), never with a fixed time.
        var small = TimeSpan.MaxValue;
        var large = TimeSpan.MaxValue;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            small = Min(small, await JudgeFloodAsync(200));
            large = Min(large, await JudgeFloodAsync(800));
        }

        var ratio = large / small;
        Assert.True(ratio < 10, $"a flood of 800 took {large.TotalMilliseconds:F0} ms, one of 200 {small.TotalMilliseconds:F0} ms: {ratio:F1} times as long");
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>How long a batch of <paramref name="count"/> failures sharing one second takes against a window of 3,000.</summary>
    private static async Task<TimeSpan> JudgeFloodAsync(int count)
    {
        var ruleSet = SigmaRuleSet.Create(SigmaRuleParser.ParseOrThrow(Rules));
        var evaluator = new CorrelationEvaluator(ruleSet, new InMemoryCorrelationWindowStore());
        var failed = JsonDocument.Parse(CorrelationHarness.Failed("10.7.7.7")).RootElement;
        var rule = ruleSet.Evaluate(new SigmaEvent(failed, SigmaLogSources.Application)).Single();
        List<SigmaMatch> Failures(int n, Func<int, TimeSpan> at, string prefix) =>
            [.. Enumerable.Range(0, n).Select(i => new SigmaMatch(rule, failed, CorrelationHarness.T0 + at(i), $"{prefix}-{i}"))];
        await evaluator.ObserveBatchAsync(Failures(3000, i => TimeSpan.FromSeconds(i * 0.5), "earlier"));

        // The batch's events share their second, as a flood's do; the sequence never completes (no success).
        var flood = Failures(count, _ => TimeSpan.FromMinutes(25), "flood");
        var stopwatch = Stopwatch.StartNew();
        var results = await evaluator.ObserveBatchAsync(flood);
        stopwatch.Stop();

        Assert.Equal(count, results.Count);
        Assert.All(results, Assert.Empty);
        return stopwatch.Elapsed;
    }
}
