using Platform.Sigma.Yaml;

namespace Platform.Sigma.Parsing;

/// <summary>The rules of one Sigma document and the errors of the documents that could not be parsed.</summary>
public sealed record SigmaParseResult(IReadOnlyList<SigmaRuleDefinition> Rules, IReadOnlyList<SigmaRuleError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Parses Sigma YAML (one rule, or several YAML documents separated by <c>---</c>) into
/// <see cref="SigmaRuleDefinition"/>s, keeping line numbers for error messages. Validates structure only;
/// detection logic is checked by <see cref="SigmaRuleCompiler"/>.
/// </summary>
public static partial class SigmaRuleParser
{
    /// <summary>Parses every document; a bad document yields errors and does not stop the others.</summary>
    public static SigmaParseResult Parse(string yaml, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var rules = new List<SigmaRuleDefinition>();
        var errors = new List<SigmaRuleError>();
        YamlStream stream;
        try
        {
            stream = BoundedYaml.Load(yaml);
        }
        catch (YamlException ex)
        {
            errors.Add(new SigmaRuleError(source, null, null, (int)ex.Start.Line, (int)ex.Start.Column, $"invalid YAML: {ex.Message}"));
            return new SigmaParseResult(rules, errors);
        }

        foreach (var document in stream.Documents)
        {
            if (document.RootNode is YamlScalarNode { Value: null or "" })
            {
                continue; // an empty document, e.g. a trailing '---'
            }

            var reader = new DocumentReader(source);
            var rule = reader.ReadRule(document.RootNode);
            if (reader.Errors.Count > 0)
            {
                errors.AddRange(reader.Errors);
            }
            else if (rule is not null)
            {
                rules.Add(rule);
            }
        }

        return new SigmaParseResult(rules, errors);
    }

    /// <summary>
    /// Parses a rule file's sibling <c>&lt;rule&gt;.tests.yml</c>: a mapping whose <c>tests</c> list has the shape of a
    /// rule's own <c>tests:</c>.
    /// </summary>
    public static (IReadOnlyList<SigmaRuleTestCase> Tests, IReadOnlyList<SigmaRuleError> Errors) ParseTests(string yaml, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var reader = new DocumentReader(source);
        try
        {
            var root = BoundedYaml.Load(yaml).Documents.FirstOrDefault()?.RootNode;
            if (root is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode("tests"), out var tests))
            {
                var cases = reader.ReadTests(tests);
                return (reader.Errors.Count == 0 ? cases : [], reader.Errors);
            }

            return ([], [new SigmaRuleError(source, null, null, 1, 1, "a tests file must be a mapping with a 'tests' list")]);
        }
        catch (YamlException ex)
        {
            return ([], [new SigmaRuleError(source, null, null, (int)ex.Start.Line, (int)ex.Start.Column, $"invalid YAML: {ex.Message}")]);
        }
    }

    /// <summary>Parses and throws <see cref="SigmaRuleException"/> listing every error, if any.</summary>
    public static IReadOnlyList<SigmaRuleDefinition> ParseOrThrow(string yaml, string? source = null)
    {
        var result = Parse(yaml, source);
        return result.Succeeded ? result.Rules : throw new SigmaRuleException(result.Errors);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^([0-9]+)([smhd])$", RegexOptions.CultureInvariant)]
    private static partial Regex TimespanPattern();

    private sealed class DocumentReader(string? source)
    {
        private string? _title;
        private string? _id;

        public List<SigmaRuleError> Errors { get; } = [];

        public SigmaRuleDefinition? ReadRule(YamlNode root)
        {
            if (root is not YamlMappingNode map)
            {
                Fail(root, "a Sigma rule must be a YAML mapping");
                return null;
            }

            _title = OptionalString(map, "title");
            _id = OptionalString(map, "id");
            if (_title is null)
            {
                Fail(root, "missing mandatory 'title'");
            }

            foreach (var (keyNode, _) in map.Children)
            {
                var key = ((YamlScalarNode)keyNode).Value ?? "";
                if (key is "action")
                {
                    Fail(keyNode, "Sigma 1.0 rule collections ('action: global/reset/repeat') are not supported; write one rule per document");
                }
            }

            var detectionNode = Child(map, "detection");
            var correlationNode = Child(map, "correlation");
            var filterNode = Child(map, "filter");
            SigmaDetectionDefinition? detection = null;
            SigmaCorrelationDefinition? correlation = null;
            SigmaFilterDefinition? filter = null;
            if (filterNode is not null)
            {
                if (detectionNode is not null || correlationNode is not null)
                {
                    Fail(filterNode, "a filter has no 'detection' or 'correlation' section of its own");
                }

                filter = ReadFilter(filterNode, map);
            }
            else if (detectionNode is not null && correlationNode is not null)
            {
                Fail(correlationNode, "a rule has either 'detection' or 'correlation', not both");
            }
            else if (detectionNode is not null)
            {
                detection = ReadDetection(detectionNode);
                if (Child(map, "logsource") is null)
                {
                    Fail(map, "missing mandatory 'logsource'");
                }
            }
            else if (correlationNode is not null)
            {
                correlation = ReadCorrelation(correlationNode, map);
            }
            else if (filterNode is null)
            {
                Fail(map, "a rule needs a 'detection' or a 'correlation' section");
            }

            var logSource = default(SigmaLogSource);
            if (Child(map, "logsource") is { } logSourceNode)
            {
                if (logSourceNode is YamlMappingNode logSourceMap)
                {
                    logSource = new SigmaLogSource(
                        OptionalString(logSourceMap, "product"),
                        OptionalString(logSourceMap, "service"),
                        OptionalString(logSourceMap, "category"));
                }
                else
                {
                    Fail(logSourceNode, "'logsource' must be a mapping");
                }
            }

            var level = OptionalString(map, "level");
            if (level is not null && level is not ("informational" or "low" or "medium" or "high" or "critical"))
            {
                Fail(Child(map, "level")!, $"unknown level '{level}' (informational, low, medium, high, critical)");
            }

            var disposition = OptionalString(map, "disposition");
            if (disposition is not null && !SigmaRuleDefinition.Dispositions.Contains(disposition))
            {
                Fail(Child(map, "disposition")!, $"unknown disposition '{disposition}' ({string.Join(", ", SigmaRuleDefinition.Dispositions)})");
            }

            return new SigmaRuleDefinition
            {
                Title = _title ?? "",
                Id = _id,
                Name = OptionalString(map, "name"),
                Status = OptionalString(map, "status"),
                Description = OptionalString(map, "description"),
                Author = OptionalString(map, "author"),
                Date = OptionalString(map, "date"),
                Modified = OptionalString(map, "modified"),
                Level = level,
                Disposition = disposition,
                References = StringList(map, "references"),
                Tags = StringList(map, "tags"),
                FalsePositives = StringList(map, "falsepositives"),
                Fields = StringList(map, "fields"),
                LogSource = logSource,
                Detection = detection,
                Correlation = correlation,
                Filter = filter,
                Tests = Child(map, "tests") is { } testsNode ? ReadTests(testsNode) : [],
                Source = source,
                Line = (int)map.Start.Line,
            };
        }

        private SigmaDetectionDefinition? ReadDetection(YamlNode node)
        {
            if (node is not YamlMappingNode map)
            {
                Fail(node, "'detection' must be a mapping");
                return null;
            }

            var identifiers = new List<SigmaSearchIdentifier>();
            var conditions = new List<string>();
            var conditionLine = (int)map.Start.Line;
            foreach (var (keyNode, valueNode) in map.Children)
            {
                var key = ((YamlScalarNode)keyNode).Value ?? "";
                switch (key)
                {
                    case "condition":
                        conditionLine = (int)valueNode.Start.Line;
                        ReadConditions(valueNode, conditions);
                        break;
                    case "timeframe":
                        Fail(keyNode, "'timeframe' (Sigma 1.0 aggregations) is not supported; use a correlation rule");
                        break;
                    default:
                        if (ReadSearchIdentifier(key, valueNode) is { } identifier)
                        {
                            identifiers.Add(identifier);
                        }

                        break;
                }
            }

            if (conditions.Count == 0)
            {
                Fail(map, "'detection' has no 'condition'");
            }

            return new SigmaDetectionDefinition(identifiers, conditions, conditionLine);
        }

        private void ReadConditions(YamlNode node, List<string> conditions)
        {
            switch (node)
            {
                case YamlScalarNode { Value: { Length: > 0 } text }:
                    conditions.Add(text);
                    break;
                case YamlSequenceNode sequence:
                    foreach (var item in sequence)
                    {
                        if (item is YamlScalarNode { Value: { Length: > 0 } itemText })
                        {
                            conditions.Add(itemText);
                        }
                        else
                        {
                            Fail(item, "each condition must be a non-empty string");
                        }
                    }

                    break;
                default:
                    Fail(node, "'condition' must be a string or a list of strings");
                    break;
            }
        }

        private SigmaSearchIdentifier? ReadSearchIdentifier(string name, YamlNode node)
        {
            var maps = new List<SigmaFieldMap>();
            var keywords = new List<SigmaValue>();
            switch (node)
            {
                case YamlMappingNode map:
                    maps.Add(ReadFieldMap(map));
                    break;
                case YamlSequenceNode sequence:
                    foreach (var item in Items(sequence, $"search identifier '{name}' is an empty list"))
                    {
                        switch (item)
                        {
                            case YamlMappingNode itemMap:
                                maps.Add(ReadFieldMap(itemMap));
                                break;
                            case YamlScalarNode scalar:
                                keywords.Add(ReadValue(scalar));
                                break;
                            default:
                                Fail(item, $"search identifier '{name}' may hold maps or plain values, not nested lists");
                                break;
                        }
                    }

                    break;
                case YamlScalarNode scalar:
                    keywords.Add(ReadValue(scalar));
                    break;
            }

            return new SigmaSearchIdentifier(name, (int)node.Start.Line, maps, keywords);
        }

        /// <summary>The items of a list that must not be empty; an empty one fails with <paramref name="emptyReason"/>.</summary>
        private IList<YamlNode> Items(YamlSequenceNode sequence, string emptyReason)
        {
            if (sequence.Children.Count == 0)
            {
                Fail(sequence, emptyReason);
            }

            return sequence.Children;
        }

        private SigmaFieldMap ReadFieldMap(YamlMappingNode map)
        {
            var conditions = new List<SigmaFieldCondition>();
            foreach (var (keyNode, valueNode) in map.Children)
            {
                var key = ((YamlScalarNode)keyNode).Value ?? "";
                var parts = key.Split('|');
                var values = new List<SigmaValue>();
                switch (valueNode)
                {
                    case YamlScalarNode scalar:
                        values.Add(ReadValue(scalar));
                        break;
                    case YamlSequenceNode sequence:
                        foreach (var item in Items(sequence, $"field '{parts[0]}' has an empty list of values"))
                        {
                            if (item is YamlScalarNode itemScalar)
                            {
                                values.Add(ReadValue(itemScalar));
                            }
                            else
                            {
                                Fail(item, $"values of field '{parts[0]}' must be plain values");
                            }
                        }

                        break;
                    default:
                        Fail(valueNode, $"field '{parts[0]}' must have a value or a list of values, not a mapping");
                        break;
                }

                conditions.Add(new SigmaFieldCondition(parts[0], parts[1..], values, (int)keyNode.Start.Line, (int)keyNode.Start.Column));
            }

            return new SigmaFieldMap((int)map.Start.Line, conditions);
        }

        /// <summary>
        /// A filter's <c>rules</c> and its selections and condition (the rest of the <c>filter</c> mapping); with
        /// the platform's <c>disabled: true</c> or a <c>disposition</c> beside it, selections are optional.
        /// </summary>
        private SigmaFilterDefinition? ReadFilter(YamlNode node, YamlMappingNode document)
        {
            if (node is not YamlMappingNode map)
            {
                Fail(node, "'filter' must be a mapping");
                return null;
            }

            var rules = StringList(map, "rules");
            if (rules.Count == 0)
            {
                Fail(map, "filter 'rules' is missing or empty: name the rules (by id) it applies to");
            }

            var disables = Child(document, "disabled") is YamlScalarNode { Value: "true" or "True" };
            var setsDisposition = Child(document, "disposition") is not null;
            var selections = new YamlMappingNode(map.Children.Where(c => c.Key is not YamlScalarNode { Value: "rules" }));
            SigmaDetectionDefinition? detection = null;
            if (!(disables || setsDisposition) || selections.Children.Count > 0)
            {
                detection = ReadDetection(selections);
            }

            return new SigmaFilterDefinition(rules, detection, disables, (int)map.Start.Line);
        }

        /// <summary>
        /// The rule's test cases: each a mapping with <c>name</c>, <c>event</c> (one document) or <c>events</c> (a
        /// list, for correlations) and <c>expect</c> (<c>match</c>, <c>no-match</c> or a number of findings).
        /// </summary>
        public IReadOnlyList<SigmaRuleTestCase> ReadTests(YamlNode node)
        {
            if (node is not YamlSequenceNode sequence)
            {
                Fail(node, "'tests' must be a list of test cases");
                return [];
            }

            var cases = new List<SigmaRuleTestCase>();
            foreach (var item in sequence)
            {
                if (item is not YamlMappingNode map)
                {
                    Fail(item, "a test case must be a mapping with 'name', 'event' or 'events', and 'expect'");
                    continue;
                }

                var name = OptionalString(map, "name");
                if (name is null)
                {
                    Fail(map, "a test case needs a 'name'");
                }
                else if (cases.Any(c => c.Name == name))
                {
                    Fail(map, $"another test case is named '{name}'");
                }

                var events = ReadTestEvents(map);
                var expect = ReadExpectation(map);
                if (name is not null && events is not null && expect is not null)
                {
                    cases.Add(new SigmaRuleTestCase(name, events, expect, (int)map.Start.Line) { Rule = OptionalString(map, "rule") });
                }
            }

            return cases;
        }

        private List<JsonElement>? ReadTestEvents(YamlMappingNode map)
        {
            var single = Child(map, "event");
            var several = Child(map, "events");
            if ((single is null) == (several is null))
            {
                Fail(map, "a test case needs either 'event' (one document) or 'events' (a list of documents)");
                return null;
            }

            IEnumerable<YamlNode> nodes = single is not null ? [single] : several as YamlSequenceNode ?? (IEnumerable<YamlNode>)[];
            if (several is not null && several is not YamlSequenceNode { Children.Count: > 0 })
            {
                Fail(several, "'events' must be a non-empty list of documents");
                return null;
            }

            var events = new List<JsonElement>();
            foreach (var node in nodes)
            {
                try
                {
                    events.Add(YamlJson.ToDocument(node));
                }
                catch (FormatException ex)
                {
                    Fail(node, ex.Message);
                }
            }

            return events;
        }

        private SigmaTestExpectation? ReadExpectation(YamlMappingNode map)
        {
            switch (Child(map, "expect"))
            {
                case YamlScalarNode { Value: "match" }:
                    return SigmaTestExpectation.Matching;
                case YamlScalarNode { Value: "no-match" }:
                    return SigmaTestExpectation.NotMatching;
                case YamlScalarNode { Value: { } text } when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count):
                    return SigmaTestExpectation.Findings(count);
                case { } node:
                    Fail(node, "'expect' must be 'match', 'no-match' or a number of findings");
                    return null;
                default:
                    Fail(map, "a test case needs 'expect': 'match', 'no-match' or a number of findings");
                    return null;
            }
        }

        private SigmaCorrelationDefinition? ReadCorrelation(YamlNode node, YamlMappingNode rule)
        {
            if (node is not YamlMappingNode map)
            {
                Fail(node, "'correlation' must be a mapping");
                return null;
            }

            var (type, typeText) = ReadCorrelationType(map);
            var rules = StringList(map, "rules");
            if (rules.Count == 0)
            {
                Fail(map, "correlation 'rules' is missing or empty");
            }

            var groupBy = StringList(map, "group-by");
            var timespan = ReadTimespan(map);
            var (conditions, field) = ReadCorrelationCondition(map);
            RequireConditionOfType(map, type, typeText, conditions, field);
            var aliases = ReadAliases(map);
            var generate = ReadGenerate(map, rule);
            return type is null
                ? null
                : new SigmaCorrelationDefinition(type.Value, rules, groupBy, timespan, conditions, field, generate, aliases, (int)map.Start.Line);
        }

        private (SigmaCorrelationType? Type, string? Text) ReadCorrelationType(YamlMappingNode map)
        {
            var typeText = OptionalString(map, "type");
            SigmaCorrelationType? type = typeText switch
            {
                "event_count" => SigmaCorrelationType.EventCount,
                "value_count" => SigmaCorrelationType.ValueCount,
                "value_sum" => SigmaCorrelationType.ValueSum,
                "value_avg" => SigmaCorrelationType.ValueAvg,
                "temporal" => SigmaCorrelationType.Temporal,
                "temporal_ordered" => SigmaCorrelationType.TemporalOrdered,
                _ => null,
            };
            if (type is null)
            {
                Fail(Child(map, "type") ?? map, typeText is null
                    ? "correlation 'type' is missing"
                    : $"correlation type '{typeText}' is not supported (event_count, value_count, value_sum, value_avg, temporal, temporal_ordered)");
            }

            return (type, typeText);
        }

        private TimeSpan ReadTimespan(YamlMappingNode map)
        {
            if (OptionalString(map, "timespan") is not { } timespanText)
            {
                Fail(map, "correlation 'timespan' is missing");
                return TimeSpan.Zero;
            }

            var match = TimespanPattern().Match(timespanText);
            if (!match.Success || !long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
            {
                Fail(Child(map, "timespan")!, $"invalid timespan '{timespanText}' (a positive number followed by s, m, h or d, e.g. 5m)");
                return TimeSpan.Zero;
            }

            return match.Groups[2].Value switch
            {
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
        }

        /// <summary>The comparisons of the correlation's <c>condition</c> (joined by AND) and its <c>field</c>, if any.</summary>
        private (List<SigmaCorrelationCondition> Conditions, string? Field) ReadCorrelationCondition(YamlMappingNode map)
        {
            var conditions = new List<SigmaCorrelationCondition>();
            string? field = null;
            switch (Child(map, "condition"))
            {
                case null:
                    break;
                case YamlMappingNode conditionMap:
                    foreach (var (keyNode, valueNode) in conditionMap.Children)
                    {
                        var key = ((YamlScalarNode)keyNode).Value;
                        if (key == "field")
                        {
                            field = ReadConditionField(valueNode) ?? field;
                        }
                        else if (ReadComparison(keyNode, key, valueNode) is { } condition)
                        {
                            conditions.Add(condition);
                        }
                    }

                    break;
                case var conditionNode:
                    Fail(conditionNode, "correlation 'condition' must be a mapping such as 'gte: 10'");
                    break;
            }

            return (conditions, field);
        }

        private string? ReadConditionField(YamlNode valueNode)
        {
            if (valueNode is YamlScalarNode { Value: { Length: > 0 } fieldName })
            {
                return fieldName;
            }

            Fail(valueNode, "correlation condition 'field' must be a single field name (several fields are not supported)");
            return null;
        }

        private SigmaCorrelationCondition? ReadComparison(YamlNode keyNode, string? key, YamlNode valueNode)
        {
            SigmaComparison? comparison = key switch
            {
                "gt" => SigmaComparison.Gt,
                "gte" => SigmaComparison.Gte,
                "lt" => SigmaComparison.Lt,
                "lte" => SigmaComparison.Lte,
                "eq" => SigmaComparison.Eq,
                "neq" => SigmaComparison.Neq,
                _ => null,
            };
            if (comparison is null)
            {
                Fail(keyNode, $"unknown correlation condition operator '{key}' (gt, gte, lt, lte, eq, neq)");
                return null;
            }

            if (valueNode is YamlScalarNode { Value: { } number }
                && double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold))
            {
                return new SigmaCorrelationCondition(comparison.Value, threshold);
            }

            Fail(valueNode, $"correlation condition '{key}' needs a number");
            return null;
        }

        /// <summary>Counting types need a comparison; value types also need the field whose values they aggregate.</summary>
        private void RequireConditionOfType(
            YamlMappingNode map, SigmaCorrelationType? type, string? typeText, List<SigmaCorrelationCondition> conditions, string? field)
        {
            if (type is SigmaCorrelationType.EventCount or SigmaCorrelationType.ValueCount or SigmaCorrelationType.ValueSum or SigmaCorrelationType.ValueAvg
                && conditions.Count == 0)
            {
                Fail(map, $"correlation type '{typeText}' needs a 'condition' with a comparison such as 'gte: 10'");
            }

            if (type is SigmaCorrelationType.ValueCount or SigmaCorrelationType.ValueSum or SigmaCorrelationType.ValueAvg && field is null)
            {
                Fail(map, $"correlation type '{typeText}' needs 'field' in its condition");
            }
        }

        /// <summary><c>aliases</c>: per alias, the field of each referenced rule it stands for.</summary>
        private Dictionary<string, IReadOnlyDictionary<string, string>> ReadAliases(YamlMappingNode map)
        {
            var aliases = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
            switch (Child(map, "aliases"))
            {
                case null:
                    break;
                case YamlMappingNode aliasesMap:
                    foreach (var (aliasKey, aliasValue) in aliasesMap.Children)
                    {
                        var perRule = new Dictionary<string, string>(StringComparer.Ordinal);
                        if (aliasValue is YamlMappingNode aliasMap)
                        {
                            foreach (var (ruleKey, fieldValue) in aliasMap.Children)
                            {
                                perRule[((YamlScalarNode)ruleKey).Value ?? ""] = (fieldValue as YamlScalarNode)?.Value ?? "";
                            }
                        }
                        else
                        {
                            Fail(aliasValue, "each alias must map rule names to field names");
                        }

                        aliases[((YamlScalarNode)aliasKey).Value ?? ""] = perRule;
                    }

                    break;
                case var aliasesNode:
                    Fail(aliasesNode, "'aliases' must be a mapping");
                    break;
            }

            return aliases;
        }

        /// <summary>'generate' sits in the correlation section in the specification's examples; some tools put it at the top level.</summary>
        private bool ReadGenerate(YamlMappingNode map, YamlMappingNode rule)
        {
            var generateNode = Child(map, "generate") ?? Child(rule, "generate");
            if (generateNode is not YamlScalarNode { Value: var generateText })
            {
                return false;
            }

            if (generateText is not ("true" or "True" or "false" or "False"))
            {
                Fail(generateNode, "'generate' must be true or false");
            }

            return generateText is "true" or "True";
        }

        private SigmaValue ReadValue(YamlScalarNode scalar)
        {
            var text = scalar.Value ?? "";
            var line = (int)scalar.Start.Line;
            var column = (int)scalar.Start.Column;
            if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
            {
                return new SigmaValue(SigmaValueKind.String, text, line, column);
            }

            if (text is "" or "~" or "null" or "Null" or "NULL")
            {
                return new SigmaValue(SigmaValueKind.Null, "", line, column);
            }

            if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
            {
                return new SigmaValue(SigmaValueKind.Boolean, text.ToLowerInvariant(), line, column);
            }

            if ((IntegerPattern().IsMatch(text) || FloatPattern().IsMatch(text))
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return new SigmaValue(SigmaValueKind.Number, text, line, column) { Number = number };
            }

            return new SigmaValue(SigmaValueKind.String, text, line, column);
        }

        private static YamlNode? Child(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        private string? OptionalString(YamlMappingNode map, string key)
        {
            var node = Child(map, key);
            switch (node)
            {
                case null:
                    return null;
                case YamlScalarNode scalar:
                    return string.IsNullOrEmpty(scalar.Value) ? null : scalar.Value;
                default:
                    Fail(node, $"'{key}' must be a single value");
                    return null;
            }
        }

        private IReadOnlyList<string> StringList(YamlMappingNode map, string key)
        {
            var node = Child(map, key);
            switch (node)
            {
                case null:
                    return [];
                case YamlScalarNode scalar:
                    return string.IsNullOrEmpty(scalar.Value) ? [] : [scalar.Value];
                case YamlSequenceNode sequence:
                    var items = new List<string>(sequence.Children.Count);
                    foreach (var item in sequence)
                    {
                        if (item is YamlScalarNode { Value: { } text })
                        {
                            items.Add(text);
                        }
                        else
                        {
                            Fail(item, $"'{key}' must be a list of plain values");
                        }
                    }

                    return items;
                default:
                    Fail(node, $"'{key}' must be a list");
                    return [];
            }
        }

        private void Fail(YamlNode node, string reason) =>
            Errors.Add(new SigmaRuleError(source, _title, _id, (int)node.Start.Line, (int)node.Start.Column, reason));
    }
}
