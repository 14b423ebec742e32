namespace Platform.FilterPatterns;

/// <summary>
/// Terms over unstructured messages: every plain term (a word, a <c>"quoted phrase"</c> or a <c>%regex%</c>) must
/// appear, case-sensitively; when there are <c>?term</c>s at least one of them must; no <c>-term</c> may.
/// </summary>
internal sealed class TermPattern : FilterPattern
{
    private enum Role
    {
        Required,
        AnyOf,
        Excluded,
    }

    private sealed record Term(Role Role, string? Text, PatternRegex? Regex)
    {
        public bool IsIn(string message) => Regex?.IsMatch(message) ?? message.Contains(Text!, StringComparison.Ordinal);
    }

    private readonly IReadOnlyList<Term> _terms;

    private TermPattern(IReadOnlyList<Term> terms) => _terms = terms;

    public static TermPattern Parse(PatternReader reader)
    {
        var terms = new List<Term>();
        for (reader.SkipWhitespace(); !reader.AtEnd; reader.SkipWhitespace())
        {
            var at = reader.Position;
            var role = reader.TryConsume("?") ? Role.AnyOf : reader.TryConsume("-") ? Role.Excluded : Role.Required;
            if (reader.AtEnd || char.IsWhiteSpace(reader.Current))
            {
                throw reader.Error($"'{(role == Role.AnyOf ? '?' : '-')}' must be followed by the term it applies to", at);
            }
            terms.Add(reader.Current switch
            {
                '"' => new Term(role, reader.ReadQuoted(), null),
                '%' => new Term(role, null, reader.ReadRegex()),
                _ => ReadWord(reader, role),
            });
        }
        return new TermPattern(terms);
    }

    private static Term ReadWord(PatternReader reader, Role role)
    {
        var at = reader.Position;
        var word = reader.ReadWhile(c => !char.IsWhiteSpace(c));
        var quote = word.IndexOfAny(['"', '%', '{', '}', '[', ']']);
        return quote >= 0
            ? throw reader.Error($"'{word[quote]}' inside a term: quote a term that holds it (\"...\")", at + quote)
            : new Term(role, word, null);
    }

    internal override FilterPatternMatch Match(string message, IReadOnlyList<JsonSelector> selectors)
    {
        var anyOf = false;
        var anyOfMatched = false;
        foreach (var term in _terms)
        {
            var found = term.IsIn(message);
            switch (term.Role)
            {
                case Role.Required when !found:
                case Role.Excluded when found:
                    return FilterPatternMatch.None;
                case Role.AnyOf:
                    anyOf = true;
                    anyOfMatched |= found;
                    break;
            }
        }
        return anyOf && !anyOfMatched ? FilterPatternMatch.None : new(true, new Dictionary<string, string>());
    }
}
