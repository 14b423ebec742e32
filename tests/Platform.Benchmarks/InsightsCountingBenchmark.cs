using Platform.Contracts.Ingestion;
using Platform.Detection.Insights;

namespace Platform.Benchmarks;

/// <summary>
/// What CloudTrail Insights add to detection's per-event hot path: counting each batch's calls and errors per key and
/// minute (<see cref="InsightCounts.Of"/>, with its attributions), against the rule evaluation every event already
/// gets, over the same CloudTrail records (Stratus detonations and the sample log file) in batches of 500 as
/// ingestion publishes them. Per event (OperationsPerInvoke), one thread. The database work (one locked row per key,
/// the minutes it touches) is per batch and key, not per event.
/// <code>dotnet run -c Release --project tests/Platform.Benchmarks -- --filter '*InsightsCounting*'</code>
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class InsightsCountingBenchmark
{
    private const int Events = 10_000;
    private const int BatchSize = 500;

    private readonly List<SigmaRule> _matches = [];
    private readonly InsightsOptions _options = new();
    private NormalizedLogEvent[][] _batches = [];
    private SigmaRuleSet _ruleSet = SigmaRuleSet.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _ruleSet = RuleEvaluationBenchmark.ShippedRules();
        var records = RuleEvaluationBenchmark.CloudTrailRecords().Select(r => JsonObject.Create(r)!).ToArray();
        var events = Enumerable.Range(0, Events).Select(i => NormalizedCloudTrail.From(records[i % records.Length])).ToArray();
        foreach (var logEvent in events)
        {
            // Parsed once, as the consumer's first reader (rule evaluation) does: both paths read the parsed document.
            _ = logEvent.Document.Root;
        }

        _batches = events.Chunk(BatchSize).ToArray();
        var keys = _batches.Sum(b => InsightCounts.Of(b, _options).ByKey.Count);
        Console.WriteLine($"// {records.Length} distinct CloudTrail records, {Events} events, {keys} keys summed over {_batches.Length} batches");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "rule evaluation")]
    public int RuleEvaluation()
    {
        var matched = 0;
        foreach (var batch in _batches)
        {
            matched += Evaluate(batch);
        }

        return matched;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "rule evaluation + Insights counting")]
    public int RuleEvaluationWithInsights()
    {
        var matched = 0;
        foreach (var batch in _batches)
        {
            matched += Evaluate(batch) + InsightCounts.Of(batch, _options).ByKey.Count;
        }

        return matched;
    }

    private int Evaluate(NormalizedLogEvent[] batch)
    {
        var matched = 0;
        foreach (var logEvent in batch)
        {
            _matches.Clear();
            _ruleSet.Evaluate(new SigmaEvent(logEvent.Document.Root, SigmaLogSources.CloudTrail), _matches);
            matched += _matches.Count;
        }

        return matched;
    }
}
