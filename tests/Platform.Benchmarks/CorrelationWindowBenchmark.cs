using Platform.Sigma.Correlation;
using Platform.Sigma.Parsing;

namespace Platform.Benchmarks;

/// <summary>
/// A correlation window under an attack, as the evaluator keeps it: 120,000 failed logins of one address, in batches of
/// 1,000 over 40 minutes (one in fifty a few seconds late), against an event_count over 30 minutes that never fires, so
/// the window grows to about 90,000 rows and then moves on, rows added at its end and dropped from its front. Measures
/// what keeping the window costs per observation (with the in-memory store's own bookkeeping, the same for any window).
/// <code>dotnet run -c Release --project tests/Platform.Benchmarks -- --filter '*CorrelationWindow*'</code>
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class CorrelationWindowBenchmark
{
    private const int Observations = 120_000;
    private const int BatchSize = 1_000;

    private const string Rules = $"""
        title: Failure flood
        correlation:
            type: event_count
            rules:
                - login_failed
            group-by:
                - sourceIP
            timespan: 30m
            condition:
                gte: 1000000
        ---
        {SigmaRuleSamples.LoginFailed}
        """;

    private static readonly DateTimeOffset T0 = new(2024, 8, 1, 12, 0, 0, TimeSpan.Zero);

    private SigmaRuleSet _ruleSet = SigmaRuleSet.Empty;
    private SigmaMatch[][] _batches = [];

    [GlobalSetup]
    public void Setup()
    {
        _ruleSet = SigmaRuleSet.Create(SigmaRuleParser.ParseOrThrow(Rules));
        var failed = JsonDocument.Parse("""{"status":"FAILED","sourceIP":"203.0.113.9"}""").RootElement;
        var rule = _ruleSet.Evaluate(new SigmaEvent(failed, SigmaLogSources.Application)).Single();
        var step = TimeSpan.FromMinutes(40) / Observations;
        _batches = Enumerable.Range(0, Observations)
            .Select(i => new SigmaMatch(rule, failed, T0 + step * i - (i % 50 == 7 ? TimeSpan.FromSeconds(5) : TimeSpan.Zero), Guid.NewGuid().ToString()))
            .Chunk(BatchSize)
            .ToArray();
    }

    [Benchmark(OperationsPerInvoke = Observations)]
    public async Task<int> ObserveAttack()
    {
        var evaluator = new CorrelationEvaluator(_ruleSet, new InMemoryCorrelationWindowStore());
        var fired = 0;
        foreach (var batch in _batches)
        {
            fired += (await evaluator.ObserveBatchAsync(batch)).Sum(r => r.Count);
        }

        return fired;
    }
}
