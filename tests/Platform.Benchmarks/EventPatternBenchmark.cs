using System.Collections.Immutable;
using Platform.Alerting.EventRules;
using Platform.Contracts.Ingestion;
using Platform.Contracts.Provisioning;
using Platform.EventPatterns;

namespace Platform.Benchmarks;

/// <summary>
/// EventBridge pattern matching per event: CloudTrail records (the Stratus detonations and the sample log file) in
/// EventBridge's envelope, built and parsed once and cycled, against a baseline in the same run that reads the one
/// field the seed's rule turns on (<c>detail.eventName</c>) with plain <see cref="JsonElement"/> lookups. Then the
/// seed's iam-changes pattern, a pattern using every content filter, and 200 rules through the source index the
/// alerting service uses. Results are per event (OperationsPerInvoke), on one thread.
/// <code>dotnet run -c Release --project tests/Platform.Benchmarks -- --filter '*EventPattern*'</code>
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class EventPatternBenchmark
{
    private const int Events = 10_000;

    private static readonly string[] IamNames = ["CreateUser", "DeleteUser", "CreateAccessKey", "DeleteAccessKey", "AttachUserPolicy", "PutUserPolicy"];

    private JsonElement[] _events = [];
    private string[] _sources = [];
    private EventPattern _seed = null!;
    private EventPattern _everyFilter = null!;
    private EventRuleSet _rules = EventRuleSet.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var records = RuleEvaluationBenchmark.CloudTrailRecords().ToArray();
        var envelopes = records
            .Select(r => EventEnvelope.ForCloudTrail(Normalized(r)))
            .OfType<JsonDocument>()
            .Select(d => d.RootElement)
            .ToArray();
        _events = [.. Enumerable.Range(0, Events).Select(i => envelopes[i % envelopes.Length])];
        _sources = [.. _events.Select(e => e.GetProperty("source").GetString()!)];

        _seed = Parse("""
            {"source": ["aws.iam"], "detail-type": ["AWS API Call via CloudTrail"],
             "detail": {"eventSource": ["iam.amazonaws.com"],
                        "eventName": ["CreateUser", "DeleteUser", "CreateAccessKey", "DeleteAccessKey", "AttachUserPolicy", "PutUserPolicy"]}}
            """);
        _everyFilter = Parse("""
            {"detail-type": [{"prefix": "AWS API"}], "region": [{"anything-but": ["cn-north-1", "cn-northwest-1"]}],
             "detail": {"eventName": [{"wildcard": "*Put*Policy"}, {"suffix": "AccessKey"}, {"equals-ignore-case": "createuser"}],
                        "sourceIPAddress": [{"cidr": "0.0.0.0/0"}, {"anything-but": {"prefix": "10."}}],
                        "errorCode": [{"exists": false}],
                        "$or": [{"userIdentity": {"type": ["IAMUser", "AssumedRole", "Root"]}}, {"readOnly": [false]}]}}
            """);

        // 200 rules as an estate might have: most fix a source (spread over 20 services), a few do not.
        var services = new[] { "iam", "s3", "ec2", "kms", "sts", "cloudtrail", "signin", "lambda", "rds", "config",
            "guardduty", "organizations", "secretsmanager", "ssm", "logs", "events", "sns", "sqs", "route53", "elasticloadbalancing" };
        var rules = Enumerable.Range(0, 200).Select(i =>
        {
            var pattern = i % 20 == 19
                ? $$$"""{"detail": {"eventName": ["Probe{{{i}}}"]}}"""
                : $$$"""{"source": ["aws.{{{services[i % services.Length]}}}"], "detail": {"eventName": [{"prefix": "Delete"}, "Probe{{{i}}}"]}}""";
            var spec = new EventRuleSpec($"r{i}", pattern, "ENABLED", null, "default", [new EventRuleTarget("t", "topic")]);
            return CompiledEventRule.From($"r{i}", spec);
        });
        _rules = new EventRuleSet(rules.ToImmutableSortedDictionary(r => r.Name, r => r, StringComparer.Ordinal));

        // The baseline and the seed's pattern must agree, or the comparison means nothing.
        if (PlainLookup() != SeedPattern() || SeedPattern() == 0)
        {
            throw new InvalidOperationException($"the plain lookup found {PlainLookup()} IAM changes, the seed's pattern {SeedPattern()}");
        }
        Console.WriteLine(
            $"// {envelopes.Length} distinct events; per {Events}: {SeedPattern()} IAM changes, {EveryFilter()} match every filter, {IndexedRules()} rule matches");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "plain JSON lookup (baseline)")]
    public int PlainLookup()
    {
        var matched = 0;
        foreach (var e in _events)
        {
            if (e.GetProperty("source").ValueEquals("aws.iam")
                && e.GetProperty("detail-type").ValueEquals("AWS API Call via CloudTrail")
                && e.GetProperty("detail") is var detail
                && detail.TryGetProperty("eventSource", out var source) && source.ValueEquals("iam.amazonaws.com")
                && detail.TryGetProperty("eventName", out var name) && IamNames.Any(n => name.ValueEquals(n)))
            {
                matched++;
            }
        }
        return matched;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "seed's iam-changes pattern")]
    public int SeedPattern() => _events.Count(_seed.Matches);

    [Benchmark(OperationsPerInvoke = Events, Description = "pattern with every content filter")]
    public int EveryFilter() => _events.Count(_everyFilter.Matches);

    [Benchmark(OperationsPerInvoke = Events, Description = "200 rules, indexed by source")]
    public int IndexedRules()
    {
        var matched = 0;
        for (var i = 0; i < _events.Length; i++)
        {
            foreach (var rule in _rules.CandidatesFor(_sources[i]))
            {
                if (rule.Pattern.Matches(_events[i]))
                {
                    matched++;
                }
            }
        }
        return matched;
    }

    private static EventPattern Parse(string json) => EventPattern.TryParse(json, out var error) ?? throw new InvalidOperationException(error!.ToString());

    private static NormalizedLogEvent Normalized(JsonElement record)
    {
        string? Text(string name) => record.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new NormalizedLogEvent(
            Text("eventID") ?? Guid.NewGuid().ToString(), LogSourceTypes.CloudTrail,
            DateTimeOffset.TryParse(Text("eventTime"), CultureInfo.InvariantCulture, out var time) ? time : DateTimeOffset.UnixEpoch,
            null, null, Text("recipientAccountId"), Text("awsRegion"), Text("eventSource"), Text("eventName"), null, Text("sourceIPAddress"),
            Text("errorCode"), LogDocument.FromElement(record));
    }
}
