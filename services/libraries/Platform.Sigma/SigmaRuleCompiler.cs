namespace Platform.Sigma;

/// <summary>Settings for compiling detection rules.</summary>
public sealed record SigmaCompilerOptions
{
    public static SigmaCompilerOptions Default { get; } = new();

    /// <summary>
    /// Values for <c>|expand</c> placeholders: <c>%Administrators%</c> becomes an OR of the listed values
    /// (which may use wildcards). A rule using a placeholder missing here fails to compile.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Placeholders { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>
    /// Longest a single regex match may run; a timed-out match counts as no match (and is counted). Matching is linear
    /// (NonBacktracking), so this guards only a stalled machine: a short limit would make a loaded machine miss matches
    /// while the first matches build the automaton.
    /// </summary>
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>What <see cref="SigmaRuleCompiler.CompileAll"/> gave: the compiled rules, the correlations set aside, the errors.</summary>
internal sealed record SigmaCompilation(
    IReadOnlyList<SigmaRule> Rules, IReadOnlyList<SigmaRuleDefinition> Correlations, IReadOnlyList<SigmaFilter> Filters, IReadOnlyList<SigmaRuleError> Errors);

/// <summary>
/// Compiles the detection of a <see cref="SigmaRuleDefinition"/> into a tree of precomputed matchers.
/// Everything the engine cannot evaluate faithfully (unknown modifiers, bad combinations, unknown
/// placeholders, invalid regexes or networks) is a compile error, never a rule that silently matches nothing.
/// </summary>
public sealed class SigmaRuleCompiler(SigmaCompilerOptions? options = null)
{
    private static readonly HashSet<string> s_knownModifiers = new(StringComparer.Ordinal)
    {
        "contains", "startswith", "endswith", "all", "exists", "cased", "neq",
        "re", "i", "m", "s",
        "base64", "base64offset", "utf16le", "utf16be", "utf16", "wide", "windash",
        "lt", "lte", "gt", "gte",
        "minute", "hour", "day", "week", "month", "year",
        "cidr", "expand", "fieldref",
    };

    private readonly SigmaCompilerOptions _options = options ?? SigmaCompilerOptions.Default;

    /// <exception cref="SigmaRuleException">The rule is invalid or uses an unsupported feature.</exception>
    public SigmaRule Compile(SigmaRuleDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Detection is null)
        {
            throw new SigmaRuleException(definition.Error(definition.Line, 0, "not a detection rule (it has no 'detection' section)"));
        }

        var (root, selections) = CompileDetection(definition, definition.Detection);
        return new SigmaRule(definition, root, selections);
    }

    /// <summary>Compiles a Sigma filter (an override): its selections and condition, unless it only disables rules.</summary>
    /// <exception cref="SigmaRuleException">The filter's detection is invalid.</exception>
    public SigmaFilter CompileFilter(SigmaRuleDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var filter = definition.Filter ?? throw new SigmaRuleException(definition.Error(definition.Line, 0, "not a filter (it has no 'filter' section)"));
        if (filter.Detection is null)
        {
            return new SigmaFilter(definition, null, new Dictionary<string, DetectionNode>());
        }

        var (root, selections) = CompileDetection(definition, filter.Detection);
        return new SigmaFilter(definition, root, selections);
    }

    private (DetectionNode Root, IReadOnlyDictionary<string, DetectionNode> Selections) CompileDetection(
        SigmaRuleDefinition definition, SigmaDetectionDefinition detection)
    {
        var compilation = new RuleCompilation(definition, _options);
        var (root, selections) = compilation.CompileDetection(detection);
        if (compilation.Errors.Count > 0 || root is null)
        {
            throw new SigmaRuleException(compilation.Errors);
        }

        return (root, selections);
    }

    /// <summary>
    /// Compiles every detection rule and sets the correlation rules aside (they are resolved against a whole
    /// <see cref="SigmaRuleSet"/>), collecting the errors of every rule instead of stopping at the first.
    /// </summary>
    internal SigmaCompilation CompileAll(IEnumerable<SigmaRuleDefinition> definitions)
    {
        var rules = new List<SigmaRule>();
        var correlations = new List<SigmaRuleDefinition>();
        var filters = new List<SigmaFilter>();
        var errors = new List<SigmaRuleError>();
        foreach (var definition in definitions)
        {
            if (definition.Correlation is not null)
            {
                correlations.Add(definition);
                continue;
            }

            try
            {
                if (definition.Filter is not null)
                {
                    filters.Add(CompileFilter(definition));
                }
                else
                {
                    rules.Add(Compile(definition));
                }
            }
            catch (SigmaRuleException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        return new SigmaCompilation(rules, correlations, filters, errors);
    }

    private sealed class RuleCompilation(SigmaRuleDefinition definition, SigmaCompilerOptions options)
    {
        public List<SigmaRuleError> Errors { get; } = [];

        public (DetectionNode? Root, Dictionary<string, DetectionNode> Selections) CompileDetection(SigmaDetectionDefinition detection)
        {
            var identifiers = new Dictionary<string, DetectionNode>(StringComparer.Ordinal);
            foreach (var identifier in detection.SearchIdentifiers)
            {
                identifiers[identifier.Name] = CompileSearchIdentifier(identifier);
            }

            var conditions = new List<DetectionNode>();
            foreach (var conditionText in detection.Conditions)
            {
                try
                {
                    var condition = SigmaConditionParser.Parse(conditionText);
                    if (CompileCondition(condition, identifiers, detection.ConditionLine) is { } node)
                    {
                        conditions.Add(node);
                    }
                }
                catch (FormatException ex)
                {
                    Fail(detection.ConditionLine, 0, $"condition '{Excerpt(conditionText)}': {ex.Message}");
                }
            }

            return (conditions.Count switch
            {
                0 => null,
                1 => conditions[0],
                _ => new OrNode([.. conditions]),
            }, identifiers);
        }

        private DetectionNode? CompileCondition(SigmaCondition condition, Dictionary<string, DetectionNode> identifiers, int line)
        {
            switch (condition)
            {
                case AndCondition and:
                    return Combine(and.Operands, identifiers, line, all: true);
                case OrCondition or:
                    return Combine(or.Operands, identifiers, line, all: false);
                case NotCondition not:
                    return CompileCondition(not.Operand, identifiers, line) is { } operand ? new NotNode(operand) : null;
                case IdentifierCondition identifier:
                    if (identifiers.TryGetValue(identifier.Name, out var node))
                    {
                        return node;
                    }

                    Fail(line, 0, $"the condition refers to '{identifier.Name}', which is not a search identifier of this rule");
                    return null;
                case OfCondition of:
                    var selected = new List<DetectionNode>();
                    foreach (var (name, node2) in identifiers)
                    {
                        if (of.Pattern is null ? !name.StartsWith('_') : MatchesNamePattern(name, of.Pattern))
                        {
                            selected.Add(node2);
                        }
                    }

                    if (selected.Count == 0)
                    {
                        Fail(line, 0, $"'{(of.All ? "all" : "1")} of {of.Pattern ?? "them"}' matches no search identifier");
                        return null;
                    }

                    return selected.Count == 1 ? selected[0] : of.All ? new AndNode([.. selected]) : new OrNode([.. selected]);
                default:
                    return null;
            }
        }

        private DetectionNode? Combine(IReadOnlyList<SigmaCondition> operands, Dictionary<string, DetectionNode> identifiers, int line, bool all)
        {
            var nodes = new List<DetectionNode>(operands.Count);
            foreach (var operand in operands)
            {
                if (CompileCondition(operand, identifiers, line) is { } node)
                {
                    nodes.Add(node);
                }
            }

            return nodes.Count != operands.Count ? null : all ? new AndNode([.. nodes]) : new OrNode([.. nodes]);
        }

        private static bool MatchesNamePattern(string name, string pattern)
        {
            var regex = "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal) + "$";
            return Regex.IsMatch(name, regex, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, TimeSpan.FromSeconds(1));
        }

        private DetectionNode CompileSearchIdentifier(SigmaSearchIdentifier identifier)
        {
            var alternatives = new List<DetectionNode>();
            foreach (var map in identifier.FieldMaps)
            {
                if (map.Conditions.Count == 0)
                {
                    Fail(map.Line, 0, $"search identifier '{identifier.Name}' has an empty map");
                    continue;
                }

                var conditions = new List<DetectionNode>(map.Conditions.Count);
                foreach (var condition in map.Conditions)
                {
                    if (CompileFieldCondition(condition) is { } node)
                    {
                        conditions.Add(node);
                    }
                }

                alternatives.Add(conditions.Count == 1 ? conditions[0] : new AndNode([.. conditions]));
            }

            if (identifier.Keywords.Count > 0)
            {
                var keywords = new SigmaFieldCondition("", [], identifier.Keywords, identifier.Line, 0);
                if (CompileFieldCondition(keywords) is { } node)
                {
                    alternatives.Add(node);
                }
            }

            return alternatives.Count == 1 ? alternatives[0] : new OrNode([.. alternatives]);
        }

        private DetectionNode? CompileFieldCondition(SigmaFieldCondition condition)
        {
            var isKeyword = condition.Field.Length == 0;
            if (CheckModifiers(condition, isKeyword) is not (var type, var has) || !CheckNullValues(condition, isKeyword) || !CheckFieldPaths(condition, type))
            {
                return null;
            }

            var path = isKeyword ? null : new FieldPath(condition.Field);
            var result = type switch
            {
                "exists" => CompileExists(condition, path!),
                "fieldref" => CompileFieldReferences(condition, path!, has),
                _ => CompileValues(condition, path, type, has),
            };
            return result is not null && has.Contains("neq") ? new NotNode(result) : result;
        }

        /// <summary>
        /// The type modifier (re, cidr, exists, fieldref, a comparison or a time part; null for plain text) and the set
        /// of all modifiers, or null after reporting unknown modifiers and combinations the engine cannot evaluate.
        /// </summary>
        private (string? Type, HashSet<string> Has)? CheckModifiers(SigmaFieldCondition condition, bool isKeyword)
        {
            var modifiers = condition.Modifiers;
            var errorCount = Errors.Count;
            foreach (var modifier in modifiers.Where(m => !s_knownModifiers.Contains(m)))
            {
                Fail(condition, $"unknown modifier '{modifier}' on field '{condition.Field}'");
            }

            var has = new HashSet<string>(modifiers, StringComparer.Ordinal);
            string[] typeModifiers = [.. modifiers.Where(m => m is "re" or "cidr" or "exists" or "fieldref" or "lt" or "lte" or "gt" or "gte"
                or "minute" or "hour" or "day" or "week" or "month" or "year")];
            string[] stringTransforms = [.. modifiers.Where(m => m is "contains" or "startswith" or "endswith" or "base64" or "base64offset"
                or "utf16le" or "utf16be" or "utf16" or "wide" or "windash")];
            var timeParts = typeModifiers.Count(m => m is "minute" or "hour" or "day" or "week" or "month" or "year");
            var comparisons = typeModifiers.Count(m => m is "lt" or "lte" or "gt" or "gte");
            if (typeModifiers.Length - timeParts - comparisons > 1 || timeParts > 1 || comparisons > 1
                || (comparisons + timeParts > 0 && typeModifiers.Length > comparisons + timeParts))
            {
                Fail(condition, $"modifiers '{string.Join("|", typeModifiers)}' cannot be combined");
            }

            var type = typeModifiers.FirstOrDefault(m => m is not ("lt" or "lte" or "gt" or "gte")) ?? typeModifiers.FirstOrDefault();
            if (type is "re" or "cidr" or "exists" or "lt" or "lte" or "gt" or "gte" or "minute" or "hour" or "day" or "week" or "month" or "year"
                && stringTransforms.Length > 0)
            {
                Fail(condition, $"modifier '{type}' cannot be combined with '{string.Join("|", stringTransforms)}'");
            }

            if (type is "fieldref" && stringTransforms.Any(m => m is not ("contains" or "startswith" or "endswith")))
            {
                Fail(condition, "modifier 'fieldref' combines only with contains, startswith, endswith, cased, neq and all");
            }

            if ((has.Contains("i") || has.Contains("m") || has.Contains("s")) && type != "re")
            {
                Fail(condition, "the regex flags i, m and s only apply after the 're' modifier");
            }

            if (has.Contains("expand") && type is "exists" or "fieldref" or "cidr")
            {
                Fail(condition, $"modifier 'expand' cannot be combined with '{type}'");
            }

            if (isKeyword && type is "exists" or "fieldref")
            {
                Fail(condition, $"modifier '{type}' needs a field name");
            }

            return Errors.Count > errorCount ? null : (type, has);
        }

        /// <summary>Null means "absent or null"; it takes no modifiers and is no keyword.</summary>
        private bool CheckNullValues(SigmaFieldCondition condition, bool isKeyword)
        {
            if (condition.Values.Any(v => v.Kind == SigmaValueKind.Null) && (condition.Modifiers.Count > 0 || isKeyword))
            {
                Fail(condition, isKeyword ? "a keyword cannot be null" : "null cannot be combined with modifiers; use a separate selection");
                return false;
            }

            return true;
        }

        /// <summary>The field's name and, for <c>fieldref</c>, the names it refers to stay within <see cref="FieldPath.MaxSegments"/>.</summary>
        private bool CheckFieldPaths(SigmaFieldCondition condition, string? type)
        {
            var names = type == "fieldref" ? condition.Values.Select(v => v.Text).Prepend(condition.Field) : [condition.Field];
            var tooLong = names.Where(name => name.AsSpan().Count('.') >= FieldPath.MaxSegments).ToList();
            foreach (var name in tooLong)
            {
                Fail(condition, $"field '{Excerpt(name)}' has more than {FieldPath.MaxSegments} dot-separated parts");
            }

            return tooLong.Count == 0;
        }

        private ExistsNode? CompileExists(SigmaFieldCondition condition, FieldPath path)
        {
            var values = condition.Values;
            if (values.Count != 1 || values[0].Kind != SigmaValueKind.Boolean)
            {
                Fail(condition, "'exists' takes a single true or false");
                return null;
            }

            return new ExistsNode(path, values[0].Text == "true");
        }

        private static DetectionNode CompileFieldReferences(SigmaFieldCondition condition, FieldPath path, HashSet<string> has)
        {
            var comparison = has.Contains("contains") ? FieldReferenceComparison.Contains
                : has.Contains("startswith") ? FieldReferenceComparison.StartsWith
                : has.Contains("endswith") ? FieldReferenceComparison.EndsWith
                : FieldReferenceComparison.Equals;
            var stringComparison = has.Contains("cased") ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
            var nodes = condition.Values.Select(v => (DetectionNode)new FieldReferenceNode(path, new FieldPath(v.Text), comparison, stringComparison)).ToArray();
            return nodes.Length == 1 ? nodes[0] : has.Contains("all") ? new AndNode(nodes) : new OrNode(nodes);
        }

        /// <summary>
        /// The values compared with the field's (or, for keywords, any) value: null values test absence, the others
        /// become matchers, OR-ed unless <c>all</c>.
        /// </summary>
        private DetectionNode? CompileValues(SigmaFieldCondition condition, FieldPath? path, string? type, HashSet<string> has)
        {
            var errorCount = Errors.Count;
            var perValue = new List<List<TextMatcher>>();
            var nodes = new List<DetectionNode>();
            foreach (var value in condition.Values)
            {
                if (value.Kind == SigmaValueKind.Null)
                {
                    nodes.Add(new NullNode(path!));
                }
                else if (CompileValue(condition, value, type, has, path is null) is { Count: > 0 } matchers)
                {
                    perValue.Add(matchers);
                }
            }

            if (Errors.Count > errorCount)
            {
                return null;
            }

            DetectionNode Node(TextMatcher matcher) => path is null ? new KeywordNode(matcher) : new FieldNode(path, matcher);

            if (perValue.Count > 0)
            {
                if (has.Contains("all"))
                {
                    var each = perValue.Select(m => Node(CombineAny(m))).ToArray();
                    nodes.Add(each.Length == 1 ? each[0] : new AndNode(each));
                }
                else
                {
                    nodes.Add(Node(CombineAny([.. perValue.SelectMany(m => m)])));
                }
            }

            return nodes.Count == 1 ? nodes[0] : new OrNode([.. nodes]);
        }

        private static TextMatcher CombineAny(List<TextMatcher> matchers)
        {
            if (matchers.Count == 1)
            {
                return matchers[0];
            }

            // Many plain case-insensitive equalities (eventName lists) become one hash lookup.
            var plain = matchers.OfType<EqualsMatcher>().Where(m => !m.IsCaseSensitive && !m.HasNumber).ToList();
            if (plain.Count < 4)
            {
                return new AnyTextMatcher([.. matchers]);
            }

            var rest = matchers.Where(m => m is not EqualsMatcher e || e.IsCaseSensitive || e.HasNumber).ToList();
            var set = new EqualsAnyMatcher(plain.Select(m => m.Value));
            return rest.Count == 0 ? set : new AnyTextMatcher([set, .. rest]);
        }

        private List<TextMatcher>? CompileValue(SigmaFieldCondition condition, SigmaValue value, string? type, HashSet<string> has, bool isKeyword)
        {
            var texts = has.Contains("expand") ? Expand(condition, value.Text) : [value.Text];
            return texts is null ? null : type switch
            {
                "re" => CompileRegexes(condition, value, texts, has),
                "cidr" => [CompileNetworks(value, texts)],
                "lt" or "lte" or "gt" or "gte" or "minute" or "hour" or "day" or "week" or "month" or "year" =>
                    CompileComparison(value, type, has) is { } comparison ? [comparison] : null,
                _ => CompileTexts(condition, value, texts, has, isKeyword),
            };
        }

        /// <summary>
        /// Regexes run in linear time (<see cref="RegexOptions.NonBacktracking"/>), so what one rule does to an event
        /// cannot stall detection; patterns that need backtracking (backreferences, lookarounds, atomic groups) are refused.
        /// </summary>
        private List<TextMatcher> CompileRegexes(SigmaFieldCondition condition, SigmaValue value, List<string> texts, HashSet<string> has)
        {
            var regexOptions = RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;
            regexOptions |= has.Contains("i") ? RegexOptions.IgnoreCase : 0;
            regexOptions |= has.Contains("m") ? RegexOptions.Multiline : 0;
            regexOptions |= has.Contains("s") ? RegexOptions.Singleline : 0;
            var matchers = new List<TextMatcher>();
            foreach (var text in texts)
            {
                try
                {
                    matchers.Add(new RegexMatcher(new Regex(text, regexOptions, options.RegexTimeout)));
                }
                catch (ArgumentException ex)
                {
                    Fail(value, $"invalid regular expression '{Excerpt(text)}': {ex.Message}");
                }
                catch (NotSupportedException ex)
                {
                    Fail(value, $"the regular expression '{Excerpt(text)}' of field '{condition.Field}' cannot run in linear time: {ex.Message}");
                }
            }

            return matchers;
        }

        private CidrMatcher CompileNetworks(SigmaValue value, List<string> texts)
        {
            var networks = new List<CidrNetwork>();
            foreach (var text in texts)
            {
                if (CidrNetwork.TryParse(text, out var network))
                {
                    networks.Add(network!);
                }
                else
                {
                    Fail(value, $"invalid CIDR network '{text}'");
                }
            }

            return new CidrMatcher(networks);
        }

        /// <summary><c>lt</c>/<c>lte</c>/<c>gt</c>/<c>gte</c> on the value itself or, after a time modifier, on that part of a date.</summary>
        private TextMatcher? CompileComparison(SigmaValue value, string type, HashSet<string> has)
        {
            if (value.Number is not { } threshold)
            {
                Fail(value, $"modifier '{type}' needs a number, not '{value.Text}'");
                return null;
            }

            var numericComparison = has.Contains("lt") ? NumericComparison.Lt
                : has.Contains("lte") ? NumericComparison.Lte
                : has.Contains("gt") ? NumericComparison.Gt
                : has.Contains("gte") ? NumericComparison.Gte
                : NumericComparison.Eq;
            var numeric = new NumericMatcher(numericComparison, threshold);
            TimePart? part = type switch
            {
                "minute" => TimePart.Minute,
                "hour" => TimePart.Hour,
                "day" => TimePart.Day,
                "week" => TimePart.Week,
                "month" => TimePart.Month,
                "year" => TimePart.Year,
                _ => null,
            };
            return part is null ? numeric : new TimePartMatcher(part.Value, numeric);
        }

        /// <summary>Text values: wildcards, the string modifiers in rule order, then the cheapest matcher for each pattern.</summary>
        private List<TextMatcher>? CompileTexts(SigmaFieldCondition condition, SigmaValue value, List<string> texts, HashSet<string> has, bool isKeyword)
        {
            var cased = has.Contains("cased");
            var comparison = cased ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
            var matchers = new List<TextMatcher>();
            foreach (var text in texts)
            {
                if (TransformText(condition, value, text) is not (var patterns, var transformed))
                {
                    return null;
                }

                if (isKeyword)
                {
                    // Keywords search inside values: plain keyword text is matched anywhere in a string.
                    patterns = [.. patterns.Select(p => p.Surround(leading: true, trailing: true))];
                }

                var numberForEquality = !transformed && !has.Contains("expand") && value.Kind == SigmaValueKind.Number ? value.Number : null;
                matchers.AddRange(patterns.Select(pattern => BuildMatcher(pattern, cased, comparison, numberForEquality)));
            }

            return matchers;
        }

        /// <summary>
        /// Applies the string modifiers (contains, startswith, endswith, windash, the utf16 encodings, base64) in rule
        /// order; <c>Transformed</c> says whether the value still stands for itself (so a number may equal a JSON number).
        /// </summary>
        private (List<WildcardPattern> Patterns, bool Transformed)? TransformText(SigmaFieldCondition condition, SigmaValue value, string text)
        {
            List<WildcardPattern> patterns = [WildcardPattern.Parse(text)];
            Func<string, byte[]>? encoding = null;
            var encoded = false;
            var transformed = false;
            foreach (var modifier in condition.Modifiers)
            {
                switch (modifier)
                {
                    case "contains":
                        patterns = [.. patterns.Select(p => p.Surround(leading: true, trailing: true))];
                        transformed = true;
                        break;
                    case "startswith":
                        patterns = [.. patterns.Select(p => p.Surround(leading: false, trailing: true))];
                        transformed = true;
                        break;
                    case "endswith":
                        patterns = [.. patterns.Select(p => p.Surround(leading: true, trailing: false))];
                        transformed = true;
                        break;
                    case "windash":
                        patterns = [.. patterns.Select(p => p.Windash())];
                        transformed = true;
                        break;
                    case "utf16le" or "wide":
                        encoding = Encoding.Unicode.GetBytes;
                        break;
                    case "utf16be":
                        encoding = Encoding.BigEndianUnicode.GetBytes;
                        break;
                    case "utf16":
                        encoding = s => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(s)];
                        break;
                    case "base64" or "base64offset":
                        if (patterns.Any(p => !p.IsLiteral))
                        {
                            Fail(value, $"'{modifier}' cannot encode wildcards; apply contains/startswith/endswith after it");
                            return null;
                        }

                        var bytesOf = encoding ?? Encoding.UTF8.GetBytes;
                        patterns = modifier == "base64"
                            ? [.. patterns.Select(p => WildcardPattern.Literal(Convert.ToBase64String(bytesOf(p.LiteralText()))))]
                            : [.. patterns.SelectMany(p => Base64Offsets(bytesOf(p.LiteralText()))).Select(WildcardPattern.Literal)];
                        encoded = true;
                        transformed = true;
                        break;
                }
            }

            if (encoding is not null && !encoded)
            {
                // Without base64 the encoded bytes are matched as characters (each byte one Latin-1 character).
                if (patterns.Any(p => !p.IsLiteral))
                {
                    Fail(value, "utf16 encodings without base64 need a value without wildcards");
                    return null;
                }

                patterns = [.. patterns.Select(p => WildcardPattern.Literal(Encoding.Latin1.GetString(encoding(p.LiteralText()))))];
                transformed = true;
            }

            return (patterns, transformed);
        }

        private static TextMatcher BuildMatcher(WildcardPattern pattern, bool cased, StringComparison comparison, double? number)
        {
            var tokens = pattern.Tokens;
            var leadingStar = tokens.Count > 0 && tokens[0].Kind == PatternTokenKind.AnyString;
            var trailingStar = tokens.Count > (leadingStar ? 1 : 0) && tokens[^1].Kind == PatternTokenKind.AnyString;
            var innerStart = leadingStar ? 1 : 0;
            var innerEnd = tokens.Count - (trailingStar ? 1 : 0);
            var innerIsLiteral = true;
            var inner = new StringBuilder();
            for (var i = innerStart; i < innerEnd; i++)
            {
                if (tokens[i].Kind != PatternTokenKind.Literal)
                {
                    innerIsLiteral = false;
                    break;
                }

                inner.Append(tokens[i].Character);
            }

            if (!innerIsLiteral)
            {
                return new WildcardMatcher(pattern, cased);
            }

            var text = inner.ToString();
            return (leadingStar, trailingStar) switch
            {
                (true, true) => new ContainsMatcher(text, comparison),
                (true, false) => new EndsWithMatcher(text, comparison),
                (false, true) => new StartsWithMatcher(text, comparison),
                _ => new EqualsMatcher(text, comparison, number),
            };
        }

        // pySigma's base64offset: the value shifted by 0, 1 and 2 bytes, with the characters that depend on
        // unknown neighbouring bytes cut off.
        private static IEnumerable<string> Base64Offsets(byte[] value)
        {
            int[] startOffsets = [0, 2, 3];
            int[] endOffsets = [0, -3, -2];
            for (var shift = 0; shift < 3; shift++)
            {
                var shifted = new byte[shift + value.Length];
                for (var i = 0; i < shift; i++)
                {
                    shifted[i] = (byte)' ';
                }

                value.CopyTo(shifted, shift);
                var encoded = Convert.ToBase64String(shifted);
                var end = endOffsets[(value.Length + shift) % 3];
                var stop = end == 0 ? encoded.Length : encoded.Length + end;
                var start = startOffsets[shift];
                yield return stop > start ? encoded[start..stop] : "";
            }
        }

        /// <summary>Fills <c>%name%</c> placeholders (all combinations); <c>\%</c> is a plain percent sign.</summary>
        private List<string>? Expand(SigmaFieldCondition condition, string text)
        {
            var results = new List<string> { "" };
            var i = 0;
            while (i < text.Length)
            {
                if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '%')
                {
                    Append(results, "%");
                    i += 2;
                    continue;
                }

                if (text[i] == '%')
                {
                    var close = text.IndexOf('%', i + 1);
                    if (close < 0)
                    {
                        Fail(condition, $"unterminated placeholder in '{text}'");
                        return null;
                    }

                    var name = text[(i + 1)..close];
                    if (!options.Placeholders.TryGetValue(name, out var replacements) || replacements.Count == 0)
                    {
                        Fail(condition, $"unknown placeholder '%{name}%' (no values configured for it)");
                        return null;
                    }

                    results = [.. results.SelectMany(prefix => replacements.Select(r => prefix + r))];
                    i = close + 1;
                    continue;
                }

                Append(results, text[i].ToString());
                i++;
            }

            return results;

            static void Append(List<string> items, string suffix)
            {
                for (var k = 0; k < items.Count; k++)
                {
                    items[k] += suffix;
                }
            }
        }

        /// <summary>The start of a text quoted in an error, so a hostile rule does not make a hostile message.</summary>
        private static string Excerpt(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");

        private void Fail(SigmaFieldCondition condition, string reason) => Fail(condition.Line, condition.Column, reason);

        private void Fail(SigmaValue value, string reason) => Fail(value.Line, value.Column, reason);

        private void Fail(int line, int column, string reason) => Errors.Add(definition.Error(line, column, reason));
    }
}
