using System.Collections.Concurrent;
using Platform.Sigma.Correlation;

namespace Platform.Sigma;

/// <summary>
/// The compiled rules of a deployment, indexed for evaluation. Per event log source, rules that require an
/// exact <c>eventName</c> (else <c>eventSource</c>) in every branch of their condition sit in buckets keyed by
/// that value, so an event only runs the rules of its own bucket plus the unindexed rest. Immutable and
/// thread-safe: build a new set when rules change.
/// </summary>
public sealed class SigmaRuleSet
{
    /// <summary>Top-level fields rules are bucketed by, most selective first.</summary>
    private static readonly string[] s_indexFields = ["eventName", "eventSource"];

    /// <summary>A rule accepting more values than this for the index field is cheaper to keep unindexed.</summary>
    private const int MaxIndexedValuesPerRule = 256;

    private readonly ConcurrentDictionary<SigmaLogSource, LogSourceIndex> _indexes = new();
    private readonly Dictionary<string, SigmaCorrelationRule[]> _correlationsByReference;
    private readonly HashSet<string> _silentKeys;
    private readonly Func<SigmaLogSource, LogSourceIndex> _buildIndex;

    private SigmaRuleSet(
        IReadOnlyList<SigmaRule> rules,
        IReadOnlyList<SigmaCorrelationRule> correlations,
        Dictionary<string, SigmaCorrelationRule[]> correlationsByReference,
        HashSet<string> silentKeys)
    {
        Rules = rules;
        Correlations = correlations;
        _correlationsByReference = correlationsByReference;
        _silentKeys = silentKeys;
        _buildIndex = BuildIndex;
        Prefilter = PrefilterOf(rules);
    }

    public static SigmaRuleSet Empty { get; } = Create([], []);

    public IReadOnlyList<SigmaRule> Rules { get; }

    public IReadOnlyList<SigmaCorrelationRule> Correlations { get; }

    /// <summary>
    /// A check of an event's raw JSON that rules out, before any parse, the events no rule of the set can match; null
    /// when some rule is not indexed by a required value (every event must then be evaluated).
    /// </summary>
    public SigmaPrefilter? Prefilter { get; }

    /// <summary>Compiles detection rules and resolves correlation rules.</summary>
    /// <exception cref="SigmaRuleException">Listing every invalid rule.</exception>
    public static SigmaRuleSet Create(IEnumerable<SigmaRuleDefinition> definitions, SigmaCompilerOptions? options = null)
    {
        var compiled = new SigmaRuleCompiler(options).CompileAll(definitions);
        return compiled.Errors.Count > 0 ? throw new SigmaRuleException(compiled.Errors) : Create(compiled.Rules, compiled.Correlations);
    }

    /// <summary>Builds a set from compiled detection rules and correlation rule definitions.</summary>
    /// <exception cref="SigmaRuleException">Duplicate keys, unknown or cyclic references, or invalid aliases.</exception>
    public static SigmaRuleSet Create(IEnumerable<SigmaRule> rules, IEnumerable<SigmaRuleDefinition> correlationDefinitions)
    {
        var ruleList = rules.ToList();
        var correlationList = correlationDefinitions.ToList();
        var errors = new List<SigmaRuleError>();
        var keysByReference = RegisterKeys(ruleList.Select(r => r.Definition), correlationList, errors);
        var namesByKey = ruleList.Select(r => r.Definition).Concat(correlationList)
            .Where(d => d.Name is not null)
            .GroupBy(d => d.Key)
            .ToDictionary(g => g.Key, g => g.First().Name!);
        var resolved = correlationList
            .Where(d => d.Correlation is not null)
            .Select(d => ResolveCorrelation(d, keysByReference, namesByKey, errors))
            .ToList();
        ReportCycles(resolved, errors);
        if (errors.Count > 0)
        {
            throw new SigmaRuleException(errors);
        }

        var correlationsByReference = resolved
            .SelectMany(c => c.ReferencedKeys.Distinct().Select(k => (Key: k, Correlation: c)))
            .GroupBy(p => p.Key)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Correlation).ToArray(), StringComparer.Ordinal);

        // Rules referenced only by correlations without 'generate: true' are building blocks, not findings.
        var silentKeys = new HashSet<string>(
            correlationsByReference.Where(p => p.Value.All(c => !c.Correlation.Generate)).Select(p => p.Key),
            StringComparer.Ordinal);

        return new SigmaRuleSet(ruleList, resolved, correlationsByReference, silentKeys);
    }

    /// <summary>
    /// Correlations refer to rules by id or by name; maps both (and the key itself) to the rule's key, reporting
    /// keys and names two rules share.
    /// </summary>
    private static Dictionary<string, string> RegisterKeys(
        IEnumerable<SigmaRuleDefinition> rules, IEnumerable<SigmaRuleDefinition> correlations, List<SigmaRuleError> errors)
    {
        var keysByReference = new Dictionary<string, string>(StringComparer.Ordinal);
        var allKeys = new HashSet<string>(StringComparer.Ordinal);
        void Register(SigmaRuleDefinition definition)
        {
            if (!allKeys.Add(definition.Key))
            {
                errors.Add(definition.Error(definition.Line, 0, $"another rule has the same id or name '{definition.Key}'"));
                return;
            }

            keysByReference[definition.Key] = definition.Key;
            if (definition.Id is not null)
            {
                keysByReference[definition.Id] = definition.Key;
            }

            if (definition.Name is not null && !keysByReference.TryAdd(definition.Name, definition.Key) && keysByReference[definition.Name] != definition.Key)
            {
                errors.Add(definition.Error(definition.Line, 0, $"another rule has the same name '{definition.Name}'"));
            }
        }

        foreach (var rule in rules)
        {
            Register(rule);
        }

        foreach (var correlation in correlations)
        {
            if (correlation.Correlation is null)
            {
                errors.Add(correlation.Error(correlation.Line, 0, "not a correlation rule"));
                continue;
            }

            Register(correlation);
        }

        return keysByReference;
    }

    /// <summary>Resolves the rules a correlation refers to and, per rule, the fields its aliases stand for.</summary>
    private static SigmaCorrelationRule ResolveCorrelation(
        SigmaRuleDefinition definition,
        Dictionary<string, string> keysByReference,
        Dictionary<string, string> namesByKey,
        List<SigmaRuleError> errors)
    {
        var correlation = definition.Correlation!;
        var referencedKeys = new List<string>();
        foreach (var reference in correlation.Rules)
        {
            if (keysByReference.TryGetValue(reference, out var key))
            {
                referencedKeys.Add(key);
            }
            else
            {
                errors.Add(definition.Error(correlation.Line, 0, $"correlation refers to unknown rule '{reference}' (by id or name)"));
            }
        }

        if (correlation.Type is SigmaCorrelationType.Temporal or SigmaCorrelationType.TemporalOrdered
            && correlation.Conditions.Count == 0 && referencedKeys.Distinct().Count() < 2)
        {
            errors.Add(definition.Error(correlation.Line, 0, "a temporal correlation needs at least two different rules"));
        }

        var groupFields = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var valueFields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in referencedKeys.Distinct())
        {
            var name = namesByKey.GetValueOrDefault(key);
            groupFields[key] = [.. correlation.GroupBy.Select(field => ResolveAlias(definition, field, key, name, errors))];
            if (correlation.Field is not null)
            {
                valueFields[key] = ResolveAlias(definition, correlation.Field, key, name, errors);
            }
        }

        return new SigmaCorrelationRule(definition, referencedKeys, groupFields, valueFields);
    }

    /// <summary>The field of the rule with this key (and name) that an alias stands for; a field that is no alias is itself.</summary>
    private static string ResolveAlias(SigmaRuleDefinition definition, string field, string key, string? name, List<SigmaRuleError> errors)
    {
        var correlation = definition.Correlation!;
        if (!correlation.Aliases.TryGetValue(field, out var perRule))
        {
            return field;
        }

        if ((name is not null && perRule.TryGetValue(name, out var mapped)) || perRule.TryGetValue(key, out mapped))
        {
            return mapped;
        }

        errors.Add(definition.Error(correlation.Line, 0, $"alias '{field}' does not say which field of rule '{name ?? key}' it stands for"));
        return field;
    }

    /// <summary>
    /// A chain must end: a correlation may not (indirectly) count its own results. Walks the references with an
    /// explicit stack, so a chain as long as the documents allow cannot exhaust the thread's stack.
    /// </summary>
    private static void ReportCycles(List<SigmaCorrelationRule> resolved, List<SigmaRuleError> errors)
    {
        var byKey = resolved.ToDictionary(c => c.Key, StringComparer.Ordinal);
        foreach (var correlation in resolved)
        {
            var visited = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<SigmaCorrelationRule>([correlation]);
            var cyclic = false;
            while (!cyclic && pending.TryPop(out var current))
            {
                foreach (var key in current.ReferencedKeys)
                {
                    cyclic |= key == correlation.Key;
                    if (byKey.TryGetValue(key, out var next) && visited.Add(key))
                    {
                        pending.Push(next);
                    }
                }
            }

            if (cyclic)
            {
                errors.Add(correlation.Definition.Error(correlation.Correlation.Line, 0, "correlation rules refer to each other in a cycle"));
            }
        }
    }

    /// <summary>
    /// Adds to <paramref name="matches"/> every detection rule whose log source covers the event's and whose
    /// detection matches. Does not allocate once the event's log source has been seen.
    /// </summary>
    public void Evaluate(in SigmaEvent sigmaEvent, List<SigmaRule> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        var index = _indexes.GetOrAdd(sigmaEvent.LogSource, _buildIndex);
        var document = sigmaEvent.Document;
        if (document.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in index.Fields)
            {
                if (field.Lookup(document) is { } bucket)
                {
                    EvaluateAll(bucket, document, matches);
                }
            }
        }

        EvaluateAll(index.Unindexed, document, matches);
    }

    /// <summary>Convenience overload that allocates the result list.</summary>
    public IReadOnlyList<SigmaRule> Evaluate(in SigmaEvent sigmaEvent)
    {
        var matches = new List<SigmaRule>();
        Evaluate(sigmaEvent, matches);
        return matches;
    }

    /// <summary>The correlation rules that count matches of the rule (or results of the correlation) with this key.</summary>
    public IReadOnlyList<SigmaCorrelationRule> CorrelationsReferencing(string ruleKey) =>
        _correlationsByReference.TryGetValue(ruleKey, out var correlations) ? correlations : [];

    /// <summary>
    /// Whether a match of this rule (or a result of this correlation) should be reported on its own. False when
    /// the rule is only a building block of correlations that do not say <c>generate: true</c>.
    /// </summary>
    public bool GeneratesResults(string ruleKey) => !_silentKeys.Contains(ruleKey);

    private static void EvaluateAll(SigmaRule[] rules, JsonElement document, List<SigmaRule> matches)
    {
        foreach (var rule in rules)
        {
            if (rule.Detection.Evaluate(document))
            {
                matches.Add(rule);
            }
        }
    }

    private LogSourceIndex BuildIndex(SigmaLogSource logSource)
    {
        var buckets = s_indexFields.Select(_ => new Dictionary<string, List<SigmaRule>>(StringComparer.OrdinalIgnoreCase)).ToArray();
        var unindexed = new List<SigmaRule>();
        foreach (var rule in Rules)
        {
            if (!rule.LogSource.Covers(logSource))
            {
                continue;
            }

            if (IndexOf(rule) is not { } index)
            {
                unindexed.Add(rule);
                continue;
            }

            foreach (var value in index.Values)
            {
                if (!buckets[index.Field].TryGetValue(value, out var bucket))
                {
                    bucket = [];
                    buckets[index.Field][value] = bucket;
                }

                bucket.Add(rule);
            }
        }

        var fields = new List<IndexedField>();
        for (var i = 0; i < s_indexFields.Length; i++)
        {
            if (buckets[i].Count > 0)
            {
                fields.Add(new IndexedField(s_indexFields[i], buckets[i].ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.OrdinalIgnoreCase)));
            }
        }

        return new LogSourceIndex([.. fields], [.. unindexed]);
    }

    /// <summary>The index field a rule is bucketed by (the first it requires a few values of) and those values; null: unindexed.</summary>
    private static (int Field, IReadOnlyCollection<string> Values)? IndexOf(SigmaRule rule)
    {
        for (var i = 0; i < s_indexFields.Length; i++)
        {
            if (rule.Detection.RequiredValues(s_indexFields[i]) is { Count: > 0 and <= MaxIndexedValuesPerRule } values)
            {
                return (i, values);
            }
        }

        return null;
    }

    /// <summary>
    /// The set's prefilter when every rule is indexed (its matches then need one of the index values as a JSON string);
    /// null when some rule could match any event.
    /// </summary>
    private static SigmaPrefilter? PrefilterOf(IReadOnlyList<SigmaRule> rules)
    {
        var values = new List<string>();
        foreach (var rule in rules)
        {
            if (IndexOf(rule) is not { } index)
            {
                return null;
            }

            values.AddRange(index.Values);
        }

        return SigmaPrefilter.Of(values);
    }

    private sealed record LogSourceIndex(IndexedField[] Fields, SigmaRule[] Unindexed);

    private sealed class IndexedField
    {
        private const int StackBufferLength = 128;
        private readonly byte[] _utf8Name;
        private readonly Dictionary<string, SigmaRule[]> _buckets;
        private readonly Dictionary<string, SigmaRule[]>.AlternateLookup<ReadOnlySpan<char>> _lookup;

        public IndexedField(string name, Dictionary<string, SigmaRule[]> buckets)
        {
            _utf8Name = Encoding.UTF8.GetBytes(name);
            _buckets = buckets;
            _lookup = buckets.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public SigmaRule[]? Lookup(JsonElement document)
        {
            if (!document.TryGetProperty(_utf8Name, out var value) || value.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var content = JsonMarshal.GetRawUtf8Value(value)[1..^1];
            if (content.Length > StackBufferLength || content.IndexOf((byte)'\\') >= 0)
            {
                return _buckets.GetValueOrDefault(value.GetString()!);
            }

            Span<char> buffer = stackalloc char[StackBufferLength];
            var length = Encoding.UTF8.GetChars(content, buffer);
            return _lookup.TryGetValue(buffer[..length], out var rules) ? rules : null;
        }
    }
}
