namespace Platform.FilterPatterns;

/// <summary>
/// The cursor the parsers share: position, whitespace, tokens, quoted strings, regexes and the nesting limit, so
/// every kind of pattern reads them the same way and reports errors at the same positions.
/// </summary>
internal sealed class PatternReader(string text)
{
    private int _depth;
    private int _regexes;

    public int Position { get; set; }

    public bool AtEnd => Position >= text.Length;

    public char Current => text[Position];

    public void SkipWhitespace()
    {
        while (!AtEnd && char.IsWhiteSpace(Current))
        {
            Position++;
        }
    }

    /// <summary>Whether <paramref name="token"/> comes next (after whitespace); consumes it when it does.</summary>
    public bool TryConsume(string token)
    {
        SkipWhitespace();
        if (string.CompareOrdinal(text, Position, token, 0, token.Length) != 0)
        {
            return false;
        }
        Position += token.Length;
        return true;
    }

    public void Expect(string token, string what)
    {
        if (!TryConsume(token))
        {
            throw Error(AtEnd ? $"expected {what}, found the end of the pattern" : $"expected {what}, found '{Current}'");
        }
    }

    public FilterPatternException Error(string reason, int? at = null) => new(new FilterPatternError((at ?? Position) + 1, reason));

    /// <summary>One level deeper; refused past <see cref="FilterPattern.MaxDepth"/> so hostile nesting cannot exhaust the stack.</summary>
    public void Enter()
    {
        if (++_depth > FilterPattern.MaxDepth)
        {
            throw Error($"nested more than {FilterPattern.MaxDepth} levels deep");
        }
    }

    public void Leave() => _depth--;

    /// <summary>Reads characters while <paramref name="allowed"/> holds.</summary>
    public string ReadWhile(Func<char, bool> allowed)
    {
        var start = Position;
        while (!AtEnd && allowed(Current))
        {
            Position++;
        }
        return text[start..Position];
    }

    /// <summary>A double-quoted string at the cursor; <c>\"</c> and <c>\\</c> escape.</summary>
    public string ReadQuoted()
    {
        var start = Position++;
        var value = new System.Text.StringBuilder();
        while (!AtEnd && Current != '"')
        {
            if (Current == '\\' && Position + 1 < text.Length && text[Position + 1] is '"' or '\\')
            {
                Position++;
            }
            value.Append(Current);
            Position++;
        }
        if (AtEnd)
        {
            throw Error("the quoted string is not closed with '\"'", start);
        }
        Position++;
        return value.ToString();
    }

    /// <summary>A <c>%regex%</c> at the cursor, checked against what CloudWatch Logs accepts and compiled to run in linear time.</summary>
    public PatternRegex ReadRegex()
    {
        var start = Position++;
        var end = text.IndexOf('%', Position);
        if (end < 0)
        {
            throw Error("the regular expression is not closed with '%'", start);
        }
        if (++_regexes > FilterPattern.MaxRegexes)
        {
            throw Error($"a pattern holds at most {FilterPattern.MaxRegexes} regular expressions", start);
        }
        var source = text[Position..end];
        var problem = PatternRegex.Check(source, out var offset);
        if (problem is not null)
        {
            throw Error(problem, Position + offset);
        }
        var regex = PatternRegex.TryCreate(source, out var reason) ?? throw Error(reason!, start);
        Position = end + 1;
        return regex;
    }
}
