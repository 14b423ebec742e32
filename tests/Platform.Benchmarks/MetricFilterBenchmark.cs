using Platform.FilterPatterns;

namespace Platform.Benchmarks;

/// <summary>
/// Metric filter evaluation per event (match, metric value and dimensions, as the alerting service runs it on each
/// event of a filter's log group) against a baseline in the same run: <see cref="JsonDocument.Parse(string, JsonDocumentOptions)"/>
/// of the same messages. The messages are CloudTrail records (about 1.3 KB each). Results are per event (OperationsPerInvoke).
/// <code>dotnet run -c Release --project tests/Platform.Benchmarks -- --filter '*MetricFilter*'</code>
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class MetricFilterBenchmark
{
    private const int Events = 2000;

    private string[] _messages = [];
    private MetricExtraction _unauthorizedCalls = null!;
    private MetricExtraction _consoleSignInFailures = null!;
    private MetricExtraction _terms = null!;

    [GlobalSetup]
    public void Setup()
    {
        var records = SubscriptionMessages.StratusRecords();
        _messages = [.. Enumerable.Range(0, Events).Select(i => records[i % records.Length].ToJsonString())];
        // The CIS benchmark's "unauthorized API calls" filter, and a sign-in failure count per source IP like the seed's.
        _unauthorizedCalls = Create("{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }", "1", null);
        _consoleSignInFailures = Create(
            "{ ($.eventName = \"ConsoleLogin\") && ($.errorMessage = \"Failed authentication\") }", "1",
            new Dictionary<string, string> { ["SourceIP"] = "$.sourceIPAddress" });
        _terms = Create("?AccessDenied ?UnauthorizedOperation -Describe", "1", null);
    }

    private static MetricExtraction Create(string pattern, string value, IReadOnlyDictionary<string, string>? dimensions) =>
        MetricExtraction.TryCreate(pattern, value, dimensions, out var errors)
        ?? throw new InvalidOperationException(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Error}")));

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "JsonDocument.Parse")]
    public int Parse()
    {
        var total = 0;
        foreach (var message in _messages)
        {
            using var document = JsonDocument.Parse(message);
            total += document.RootElement.ValueKind == JsonValueKind.Object ? 1 : 0;
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "JSON pattern, errorCode wildcards")]
    public int UnauthorizedCalls() => Evaluate(_unauthorizedCalls);

    [Benchmark(OperationsPerInvoke = Events, Description = "JSON pattern + SourceIP dimension")]
    public int ConsoleSignInFailures() => Evaluate(_consoleSignInFailures);

    [Benchmark(OperationsPerInvoke = Events, Description = "terms (?any, -excluded)")]
    public int Terms() => Evaluate(_terms);

    private int Evaluate(MetricExtraction extraction)
    {
        var total = 0;
        foreach (var message in _messages)
        {
            total += extraction.Evaluate(message).IsMatch ? 1 : 0;
        }
        return total;
    }
}
