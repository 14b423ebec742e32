using Platform.Detection.Rules;

namespace Platform.Benchmarks;

/// <summary>
/// Sigma evaluation of CloudTrail records with every shipped rule loaded (SigmaHQ and built-in, as copied beside
/// the binary by the detection project), through the indexed <see cref="SigmaRuleSet"/>, against a baseline in the
/// same run that tries each compiled rule in turn. The records (Stratus detonations and the sample log file) are
/// parsed once and cycled. Results are per event (OperationsPerInvoke), on one thread. Target: at least 500,000
/// events per second per core for the indexed set.
/// <code>dotnet run -c Release --project tests/Platform.Benchmarks -- --filter '*RuleEvaluation*'</code>
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class RuleEvaluationBenchmark
{
    private const int Events = 10_000;

    private readonly List<SigmaRule> _matches = [];
    private SigmaEvent[] _events = [];
    private SigmaRuleSet _ruleSet = SigmaRuleSet.Empty;
    private SigmaRule[] _rules = [];

    [GlobalSetup]
    public void Setup()
    {
        _ruleSet = ShippedRules();
        _rules = [.. _ruleSet.Rules];

        var records = CloudTrailRecords().ToArray();
        _events = [.. Enumerable.Range(0, Events).Select(i => new SigmaEvent(records[i % records.Length], SigmaLogSources.CloudTrail))];

        // Both paths must agree, or the comparison means nothing.
        var indexed = IndexedSet();
        var naive = EachRuleInTurn();
        if (indexed != naive || indexed == 0)
        {
            throw new InvalidOperationException($"the indexed set found {indexed} matches, each rule in turn {naive}");
        }

        Console.WriteLine($"// {_rules.Length} rules, {records.Length} distinct CloudTrail records, {indexed} matches per {Events} events");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "each rule in turn")]
    public int EachRuleInTurn()
    {
        var matched = 0;
        foreach (var sigmaEvent in _events)
        {
            foreach (var rule in _rules)
            {
                if (rule.Matches(sigmaEvent))
                {
                    matched++;
                }
            }
        }

        return matched;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "indexed rule set")]
    public int IndexedSet()
    {
        var matched = 0;
        foreach (var sigmaEvent in _events)
        {
            _matches.Clear();
            _ruleSet.Evaluate(sigmaEvent, _matches);
            matched += _matches.Count;
        }

        return matched;
    }

    /// <summary>The SigmaHQ and built-in rules the detection service ships (copied beside this binary).</summary>
    internal static SigmaRuleSet ShippedRules()
    {
        var rulesDirectory = Path.Combine(AppContext.BaseDirectory, "Rules");
        return SigmaRuleLoader.CreateRuleSet(new[] { RuleCatalog.SigmaHqFolder, RuleCatalog.BuiltinFolder }
            .SelectMany(folder => SigmaRuleLoader.LoadDirectory(Path.Combine(rulesDirectory, folder))));
    }

    /// <summary>The Stratus detonation records, then those of the sample CloudTrail log file.</summary>
    internal static IEnumerable<JsonElement> CloudTrailRecords()
    {
        var detonations = Directory.GetFiles(SharedData.PathOf("data", "cloudtrail", "stratus-detonations"), "*.json")
            .Order(StringComparer.Ordinal)
            .SelectMany(file => JsonDocument.Parse(File.ReadAllText(file)).RootElement.EnumerateArray());
        using var gzip = new GZipStream(File.OpenRead(SharedData.PathOf("data", "cloudtrail", "cloudtrail-log-file.json.gz")), CompressionMode.Decompress);
        var logFile = JsonDocument.Parse(gzip).RootElement.GetProperty("Records").EnumerateArray().ToList();
        return detonations.Concat(logFile);
    }
}
