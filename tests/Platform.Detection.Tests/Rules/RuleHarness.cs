using Microsoft.Extensions.Logging.Abstractions;
using Platform.Contracts.Ingestion;

namespace Platform.Detection.Tests.Rules;

/// <summary>Loads the shipped rules and replays events through them the way the detection service does.</summary>
internal static class RuleHarness
{
    private static readonly Lazy<IReadOnlyList<SigmaRuleFile>> s_builtinFiles = new(() => SigmaRuleLoader.LoadDirectory(SharedData.BuiltinRulesDirectory));

    /// <summary>
    /// The built-in rules alone: their correlations over SigmaHQ's rules (a signal followed by ...) need those rules, and
    /// run in <see cref="Shipped"/>.
    /// </summary>
    private static readonly Lazy<SigmaRuleSet> s_builtin = new(() =>
    {
        var definitions = BuiltinFiles.SelectMany(f => f.Rules.Select(r => r.Definition).Concat(f.Correlations)).ToList();
        var references = definitions.SelectMany(d => new[] { d.Id, d.Name, d.Title }).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return SigmaRuleSet.Create(
            BuiltinFiles.SelectMany(f => f.Rules),
            BuiltinFiles.SelectMany(f => f.Correlations).Where(c => c.Correlation!.Rules.All(references.Contains)));
    });

    private static readonly Lazy<IReadOnlyList<SigmaRuleFile>> s_overrideFiles = new(() => SigmaRuleLoader.LoadDirectory(OverridesDirectory));

    /// <summary>As the rule catalog loads them: SigmaHQ's and the built-in rules with the overrides' filters applied.</summary>
    private static readonly Lazy<SigmaFilteredFiles> s_filtered = new(() => SigmaRuleLoader.ApplyFilters(
        [.. BuiltinFiles, .. SigmaRuleLoader.LoadDirectory(SharedData.RulesDirectory)], OverrideFiles.SelectMany(f => f.Filters)));

    private static readonly Lazy<SigmaRuleSet> s_shipped = new(() => SigmaRuleSet.Create(
        Filtered.Files.SelectMany(f => f.Rules).Where(r => !Filtered.DisabledKeys.Contains(r.Key)),
        Filtered.Files.SelectMany(f => f.Correlations).Where(c => !Filtered.DisabledKeys.Contains(c.Key))));

    /// <summary>
    /// Built-in rules that fire on failed calls too, by file: they are about attempts (credential access, launching
    /// unusual instances, reconnaissance, root use) or about failures. Every other rule is about a change or a read
    /// that only matters once it succeeded, and must not match a call that failed.
    /// </summary>
    public static readonly IReadOnlySet<string> RulesAboutAttempts = new HashSet<string>(StringComparer.Ordinal)
    {
        "aws_access_denied_reconnaissance.yml",
        "aws_bedrock_model_enumeration.yml",
        "aws_ec2_instance_credentials_reconnaissance.yml",
        "aws_ec2_password_data_retrieved.yml",
        "aws_ec2_unusual_instances_launched.yml",
        "aws_ec2_user_data_read.yml",
        "aws_failed_api_calls_burst.yml",
        "aws_failed_logins_per_source_ip.yml",
        "aws_iam_authorization_details_dumped.yml",
        "aws_root_identity_use.yml",
        "aws_ses_enumeration.yml",
        "aws_vpc_endpoint_policy_denied.yml",
    };

    public static string OverridesDirectory => Path.Combine(SharedData.BuiltinRulesDirectory, "..", RuleCatalog.OverridesFolder);

    public static IReadOnlyList<SigmaRuleFile> BuiltinFiles => s_builtinFiles.Value;

    /// <summary>The shipped rule files with the overrides applied, and the rules the overrides disable.</summary>
    public static SigmaFilteredFiles Filtered => s_filtered.Value;

    /// <summary>The platform's overrides of SigmaHQ rules (Sigma filters).</summary>
    public static IReadOnlyList<SigmaRuleFile> OverrideFiles => s_overrideFiles.Value;

    /// <summary>The built-in rules alone (without the correlations over SigmaHQ's rules).</summary>
    public static SigmaRuleSet Builtin => s_builtin.Value;

    /// <summary>Everything the product ships: built-in and SigmaHQ rules, with the overrides applied.</summary>
    public static SigmaRuleSet Shipped => s_shipped.Value;

    /// <summary>The keys of the shipped rules whose findings are signals (their own <c>disposition</c> or an override's).</summary>
    public static IReadOnlySet<string> Signals { get; } = Filtered.Files
        .SelectMany(f => f.Rules.Select(r => r.Definition).Concat(f.Correlations))
        .Where(d => d.Disposition == "signal")
        .Select(d => d.Key)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>The reported rules whose findings are alerts (they page).</summary>
    public static IReadOnlyList<string> Alerts(IEnumerable<string> reported) => [.. reported.Where(k => !Signals.Contains(k))];

    /// <summary>
    /// Replays events in the given order through the rule set and its correlations (a fresh window store), and
    /// returns the keys of every rule or correlation that reported something.
    /// </summary>
    public static async Task<HashSet<string>> ReportedRuleKeysAsync(SigmaRuleSet ruleSet, IEnumerable<LogEvent> events)
    {
        var evaluator = new CorrelationEvaluator(ruleSet, new InMemoryCorrelationWindowStore());
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var matches = new List<SigmaRule>();
        foreach (var logEvent in events)
        {
            matches.Clear();
            ruleSet.Evaluate(new SigmaEvent(logEvent.Document, logEvent.Source), matches);
            foreach (var rule in matches)
            {
                if (ruleSet.GeneratesResults(rule.Key))
                {
                    reported.Add(rule.Key);
                }

                foreach (var result in await evaluator.ObserveAsync(rule, logEvent.Document, logEvent.Time, logEvent.Id))
                {
                    if (result.IsReported)
                    {
                        reported.Add(result.Rule.Key);
                    }
                }
            }
        }

        return reported;
    }

    /// <summary>The correlation results reported for a sequence of events, in order.</summary>
    public static async Task<List<SigmaCorrelationResult>> CorrelationResultsAsync(SigmaRuleSet ruleSet, IEnumerable<LogEvent> events)
    {
        var evaluator = new CorrelationEvaluator(ruleSet, new InMemoryCorrelationWindowStore());
        var results = new List<SigmaCorrelationResult>();
        var matches = new List<SigmaRule>();
        foreach (var logEvent in events)
        {
            matches.Clear();
            ruleSet.Evaluate(new SigmaEvent(logEvent.Document, logEvent.Source), matches);
            foreach (var rule in matches)
            {
                results.AddRange((await evaluator.ObserveAsync(rule, logEvent.Document, logEvent.Time, logEvent.Id)).Where(r => r.IsReported));
            }
        }

        return results;
    }

    /// <summary>The single-event rules (built-in or SigmaHQ) that report on this CloudTrail record.</summary>
    public static IReadOnlyList<string> ReportingRuleKeys(SigmaRuleSet ruleSet, string cloudTrailRecord)
    {
        var document = JsonDocument.Parse(cloudTrailRecord).RootElement;
        return ruleSet.Evaluate(new SigmaEvent(document, SigmaLogSources.CloudTrail))
            .Where(r => ruleSet.GeneratesResults(r.Key))
            .Select(r => r.Key)
            .ToList();
    }

    /// <summary>The records of a Stratus Red Team detonation file, in event time order.</summary>
    public static IReadOnlyList<LogEvent> StratusRecords(string file)
    {
        using var stream = File.OpenRead(Path.Combine(SharedData.StratusDirectory, file));
        return CloudTrailRecords(JsonDocument.Parse(stream).RootElement.EnumerateArray());
    }

    /// <summary>A rule catalog as the detection service loads it (the shipped rules and overrides), over a fresh in-memory window store.</summary>
    public static RuleCatalog ShippedCatalog()
    {
        var catalog = new RuleCatalog(new InMemoryCorrelationWindowStore(), NullLogger<RuleCatalog>.Instance);
        catalog.LoadShipped(Path.Combine(SharedData.RepositoryRoot, "services", "Platform.Detection", "Rules"));
        return catalog;
    }

    /// <summary>Every Stratus Red Team detonation file's records as ingestion normalises them, by file name.</summary>
    public static IEnumerable<(string File, List<NormalizedLogEvent> Events)> NormalizedStratusFiles() =>
        Directory.GetFiles(SharedData.StratusDirectory, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(path => (Path.GetFileName(path), Normalized(JsonNode.Parse(File.ReadAllText(path))!.AsArray())));

    /// <summary>CloudTrail records as ingestion normalises them, in event time order.</summary>
    public static List<NormalizedLogEvent> Normalized(IEnumerable<JsonNode?> records) =>
        [.. records.Select(r => NormalizedCloudTrail.From(r!.AsObject())).OrderBy(e => e.EventTime)];

    /// <summary>The records of a CloudTrail log file as delivered to S3 (gzip of {"Records": [...]}).</summary>
    public static IReadOnlyList<LogEvent> CloudTrailLogFile(string path)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        return CloudTrailRecords(JsonDocument.Parse(stream).RootElement.GetProperty("Records").EnumerateArray());
    }

    public static IReadOnlyList<LogEvent> CloudTrailRecords(IEnumerable<JsonElement> records) =>
        records
            .Select(r => new LogEvent(
                r.Clone(),
                SigmaLogSources.CloudTrail,
                r.GetProperty("eventTime").GetDateTimeOffset(),
                r.GetProperty("eventID").GetString()!))
            .OrderBy(e => e.Time)
            .ToList();
}

/// <summary>An event as the detection service sees it: document, log source, time and the source's own id.</summary>
internal sealed record LogEvent(JsonElement Document, SigmaLogSource Source, DateTimeOffset Time, string Id)
{
    public static LogEvent Json(SigmaLogSource source, DateTimeOffset time, string id, string json) =>
        new(JsonDocument.Parse(json).RootElement, source, time, id);
}
