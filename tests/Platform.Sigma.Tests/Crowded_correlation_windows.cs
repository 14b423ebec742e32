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
    public async Task A_batch_of_a_thousand_failures_against_a_window_of_three_thousand_is_judged_in_well_under_a_second()
    {
        var ruleSet = SigmaRuleSet.Create(SigmaRuleParser.ParseOrThrow(Rules));
        var evaluator = new CorrelationEvaluator(ruleSet, new InMemoryCorrelationWindowStore());
        var failed = JsonDocument.Parse(CorrelationHarness.Failed("10.7.7.7")).RootElement;
        var rule = ruleSet.Evaluate(new SigmaEvent(failed, SigmaLogSources.Application)).Single();
        List<SigmaMatch> Failures(int count, Func<int, TimeSpan> at, string prefix) =>
            [.. Enumerable.Range(0, count).Select(i => new SigmaMatch(rule, failed, CorrelationHarness.T0 + at(i), $"{prefix}-{i}"))];
        await evaluator.ObserveBatchAsync(Failures(3000, i => TimeSpan.FromSeconds(i * 0.5), "earlier"));

        // The batch's events share their second, as a flood's do; the sequence never completes (no success).
        var stopwatch = Stopwatch.StartNew();
        var results = await evaluator.ObserveBatchAsync(Failures(1000, _ => TimeSpan.FromMinutes(25), "flood"));
        stopwatch.Stop();

        Assert.All(results, Assert.Empty);
        // About 4 million row visits when each observation reads the window once; the rescanning it replaced made
        // billions of key comparisons (tens of seconds). The bound leaves room for a loaded machine.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"the batch took {stopwatch.Elapsed.TotalSeconds:F1} s");
    }
}
