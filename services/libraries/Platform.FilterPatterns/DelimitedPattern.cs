namespace Platform.FilterPatterns;

/// <summary>
/// <c>[ip, user, ..., status = 4* || status = 5*, bytes &gt; 1000]</c>: a message split on spaces (a <c>"quoted"</c>
/// or <c>[bracketed]</c> run is one field, without its quotes or brackets) names its fields in order; <c>...</c>
/// stands for any number of fields; conditions (joined by <c>&amp;&amp;</c> and <c>||</c>) test named fields.
/// Without <c>...</c> the message has exactly as many fields as the pattern.
/// </summary>
internal sealed class DelimitedPattern : FilterPattern
{
    private const string Ellipsis = "...";

    private readonly IReadOnlyList<string?> _fields;
    private readonly int _ellipsis;
    private readonly IReadOnlyList<Node> _conditions;

    private DelimitedPattern(IReadOnlyList<string?> fields, IReadOnlyList<Node> conditions)
    {
        _fields = fields;
        _ellipsis = fields.ToList().IndexOf(null);
        _conditions = conditions;
        FieldNames = fields.OfType<string>().ToHashSet(StringComparer.Ordinal);
    }

    internal override IReadOnlySet<string> FieldNames { get; }

    private abstract record Node
    {
        public abstract bool Test(IReadOnlyDictionary<string, string> fields);
    }

    private sealed record Or(Node Left, Node Right) : Node
    {
        public override bool Test(IReadOnlyDictionary<string, string> fields) => Left.Test(fields) || Right.Test(fields);
    }

    private sealed record And(Node Left, Node Right) : Node
    {
        public override bool Test(IReadOnlyDictionary<string, string> fields) => Left.Test(fields) && Right.Test(fields);
    }

    private sealed record Compare(string Key, Comparison Comparison) : Node
    {
        public override bool Test(IReadOnlyDictionary<string, string> fields) => Comparison.Test(fields.TryGetValue(Key, out var value), value);
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static bool IsValueChar(char c) => !char.IsWhiteSpace(c) && c is not (',' or ']' or '&' or '|' or '"' or '%');

    public static DelimitedPattern Parse(PatternReader reader)
    {
        reader.Expect("[", "'['");
        var fields = new List<string?>();
        var conditions = new List<Node>();
        var references = new List<(string Name, int At)>();
        do
        {
            reader.SkipWhitespace();
            var at = reader.Position;
            if (reader.TryConsume(Ellipsis))
            {
                if (fields.Contains(null))
                {
                    throw reader.Error($"a pattern holds at most one '{Ellipsis}'", at);
                }
                fields.Add(null);
                continue;
            }
            var name = ReadName(reader);
            if (fields.Contains(name))
            {
                throw reader.Error($"the field '{name}' is named twice", at);
            }
            fields.Add(name);
            if (Comparison.StartsAt(reader))
            {
                conditions.Add(ParseCondition(reader, name, references));
            }
        }
        while (reader.TryConsume(","));
        reader.Expect("]", "',', a condition or the closing ']'");
        foreach (var (name, at) in references.Where(r => !fields.Contains(r.Name)))
        {
            throw reader.Error($"the condition names '{name}', which is not a field of the pattern", at);
        }
        return new DelimitedPattern(fields, conditions);
    }

    private static string ReadName(PatternReader reader)
    {
        reader.SkipWhitespace();
        var name = reader.ReadWhile(IsNameChar);
        return name.Length > 0 ? name : throw reader.Error(reader.AtEnd ? "expected a field name or '...'" : $"expected a field name or '...', found '{reader.Current}'");
    }

    /// <summary><c>op value</c> on <paramref name="first"/>, then <c>&amp;&amp;</c> / <c>||</c> and further <c>name op value</c>.</summary>
    private static Node ParseCondition(PatternReader reader, string first, List<(string, int)> references)
    {
        var node = ParseAnd(reader, new Compare(first, Comparison.Read(reader, IsValueChar)), references);
        while (reader.TryConsume("||"))
        {
            node = new Or(node, ParseAnd(reader, ParseCompare(reader, references), references));
        }
        return node;
    }

    private static Node ParseAnd(PatternReader reader, Node first, List<(string, int)> references)
    {
        var node = first;
        while (reader.TryConsume("&&"))
        {
            node = new And(node, ParseCompare(reader, references));
        }
        return node;
    }

    private static Compare ParseCompare(PatternReader reader, List<(string, int)> references)
    {
        reader.SkipWhitespace();
        var at = reader.Position;
        var name = ReadName(reader);
        references.Add((name, at));
        return new Compare(name, Comparison.Read(reader, IsValueChar));
    }

    internal override FilterPatternMatch Match(string message, IReadOnlyList<JsonSelector> selectors)
    {
        var tokens = Split(message);
        var named = _fields.Count - (_ellipsis >= 0 ? 1 : 0);
        if (_ellipsis < 0 ? tokens.Count != named : tokens.Count < named)
        {
            return FilterPatternMatch.None;
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < _fields.Count; i++)
        {
            if (_fields[i] is { } name)
            {
                var token = _ellipsis < 0 || i < _ellipsis ? tokens[i] : tokens[tokens.Count - (_fields.Count - i)];
                values[name] = token;
            }
        }
        if (!_conditions.All(c => c.Test(values)))
        {
            return FilterPatternMatch.None;
        }
        return new(true, values.ToDictionary(v => "$" + v.Key, v => v.Value, StringComparer.Ordinal));
    }

    /// <summary>The message's fields: runs of non-space characters, a <c>"quoted"</c> or <c>[bracketed]</c> run being one.</summary>
    private static List<string> Split(string message)
    {
        var tokens = new List<string>();
        var i = 0;
        while (true)
        {
            while (i < message.Length && char.IsWhiteSpace(message[i]))
            {
                i++;
            }
            if (i >= message.Length)
            {
                return tokens;
            }
            var close = message[i] switch { '"' => '"', '[' => ']', _ => '\0' };
            if (close != '\0' && message.IndexOf(close, i + 1) is var end and >= 0)
            {
                tokens.Add(message[(i + 1)..end]);
                i = end + 1;
                continue;
            }
            var start = i;
            while (i < message.Length && !char.IsWhiteSpace(message[i]))
            {
                i++;
            }
            tokens.Add(message[start..i]);
        }
    }
}
