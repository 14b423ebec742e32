namespace Platform.FilterPatterns;

/// <summary>
/// <c>{ $.a = "x" &amp;&amp; ($.b &gt; 1 || $.c IS NULL) }</c>: conditions on the fields of a JSON message, joined by
/// <c>&amp;&amp;</c> (binding tighter) and <c>||</c>, grouped with parentheses. A message that is not a JSON object never matches.
/// </summary>
internal sealed class JsonPattern : FilterPattern
{
    private static readonly JsonDocumentOptions MessageOptions = new() { MaxDepth = MaxDepth };

    private readonly Node _root;
    private readonly IReadOnlyList<JsonSelector> _selectors;

    private JsonPattern(Node root, IReadOnlyList<JsonSelector> selectors)
    {
        _root = root;
        _selectors = selectors;
    }

    private abstract record Node
    {
        public abstract bool Test(JsonElement root);
    }

    private sealed record Or(Node Left, Node Right) : Node
    {
        public override bool Test(JsonElement root) => Left.Test(root) || Right.Test(root);
    }

    private sealed record And(Node Left, Node Right) : Node
    {
        public override bool Test(JsonElement root) => Left.Test(root) && Right.Test(root);
    }

    private sealed record Compare(JsonSelector Selector, Comparison Comparison) : Node
    {
        public override bool Test(JsonElement root)
        {
            var exists = Selector.TrySelect(root, out var value);
            return Comparison.Test(exists, exists ? JsonSelector.TextOf(value) : null);
        }
    }

    /// <summary><c>IS NULL</c>, <c>IS TRUE</c>, <c>IS FALSE</c> (the field holds that value) or <c>NOT EXISTS</c> (<see cref="Kind"/> null).</summary>
    private sealed record Is(JsonSelector Selector, JsonValueKind? Kind) : Node
    {
        public override bool Test(JsonElement root) =>
            Selector.TrySelect(root, out var value) ? value.ValueKind == Kind : Kind is null;
    }

    public static JsonPattern Parse(PatternReader reader)
    {
        var selectors = new List<JsonSelector>();
        reader.Expect("{", "'{'");
        var root = ParseOr(reader, selectors);
        reader.Expect("}", "'&&', '||' or the closing '}'");
        return new JsonPattern(root, selectors);
    }

    private static Node ParseOr(PatternReader reader, List<JsonSelector> selectors)
    {
        var node = ParseAnd(reader, selectors);
        while (reader.TryConsume("||"))
        {
            node = new Or(node, ParseAnd(reader, selectors));
        }
        return node;
    }

    private static Node ParseAnd(PatternReader reader, List<JsonSelector> selectors)
    {
        var node = ParseUnary(reader, selectors);
        while (reader.TryConsume("&&"))
        {
            node = new And(node, ParseUnary(reader, selectors));
        }
        return node;
    }

    private static Node ParseUnary(PatternReader reader, List<JsonSelector> selectors)
    {
        reader.Enter();
        try
        {
            if (reader.TryConsume("("))
            {
                var inner = ParseOr(reader, selectors);
                reader.Expect(")", "'&&', '||' or ')'");
                return inner;
            }
            reader.SkipWhitespace();
            if (reader.AtEnd || reader.Current != '$')
            {
                throw reader.Error("expected a condition on a field ($.name = value) or '('");
            }
            var selector = JsonSelector.Read(reader);
            selectors.Add(selector);
            return ParseTest(reader, selector);
        }
        finally
        {
            reader.Leave();
        }
    }

    private static Node ParseTest(PatternReader reader, JsonSelector selector)
    {
        if (Comparison.StartsAt(reader))
        {
            return new Compare(selector, Comparison.Read(reader, c => JsonSelector.IsNameChar(c) || c is '.' or '*' or '+' or '/'));
        }
        if (reader.TryConsume("NOT"))
        {
            RequireSpaceAfter(reader, "NOT");
            return reader.TryConsume("EXISTS") ? new Is(selector, null) : throw reader.Error("expected EXISTS after NOT");
        }
        if (!reader.TryConsume("IS"))
        {
            throw reader.Error($"expected a comparison (=, !=, <, >, <=, >=), IS or NOT EXISTS after {selector.Path}");
        }
        RequireSpaceAfter(reader, "IS");
        var kind = reader.TryConsume("NULL") ? JsonValueKind.Null
            : reader.TryConsume("TRUE") ? JsonValueKind.True
            : reader.TryConsume("FALSE") ? JsonValueKind.False
            : throw reader.Error("expected NULL, TRUE or FALSE after IS");
        return new Is(selector, kind);
    }

    private static void RequireSpaceAfter(PatternReader reader, string keyword)
    {
        if (reader.AtEnd || !char.IsWhiteSpace(reader.Current))
        {
            throw reader.Error($"expected a space after {keyword}");
        }
    }

    internal override FilterPatternMatch Match(string message, IReadOnlyList<JsonSelector> selectors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message, MessageOptions);
        }
        catch (JsonException)
        {
            return FilterPatternMatch.None;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !_root.Test(root))
            {
                return FilterPatternMatch.None;
            }
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var selector in _selectors.Concat(selectors))
            {
                if (selector.TrySelect(root, out var value) && JsonSelector.TextOf(value) is { } text)
                {
                    values.TryAdd(selector.Path, text);
                }
            }
            return new(true, values);
        }
    }
}
