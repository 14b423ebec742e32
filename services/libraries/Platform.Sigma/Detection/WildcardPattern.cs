namespace Platform.Sigma.Detection;

internal enum PatternTokenKind
{
    Literal,
    AnyCharacter,
    AnyString,
    CharacterSet,
}

internal readonly record struct PatternToken(PatternTokenKind Kind, char Character, string? Set = null);

/// <summary>
/// A Sigma string value after escape processing: literal characters, <c>?</c>, <c>*</c>, and character sets
/// (from <c>windash</c>).
/// </summary>
internal sealed class WildcardPattern
{
    /// <summary>The characters <c>windash</c> makes interchangeable: hyphen, slash, en dash, em dash, horizontal bar.</summary>
    public const string WindashCharacters = "-/\u2013\u2014\u2015";

    private WildcardPattern(List<PatternToken> tokens) => Tokens = tokens;

    public List<PatternToken> Tokens { get; }

    public bool IsLiteral
    {
        get
        {
            foreach (var token in Tokens)
            {
                if (token.Kind != PatternTokenKind.Literal)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// Parses a rule value: <c>*</c> and <c>?</c> are wildcards; a backslash escapes <c>*</c>, <c>?</c> and itself;
    /// a backslash before anything else is a plain backslash.
    /// </summary>
    public static WildcardPattern Parse(string value)
    {
        var tokens = new List<PatternToken>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && i + 1 < value.Length && value[i + 1] is '*' or '?' or '\\')
            {
                tokens.Add(new PatternToken(PatternTokenKind.Literal, value[i + 1]));
                i++;
            }
            else if (c == '*')
            {
                tokens.Add(new PatternToken(PatternTokenKind.AnyString, c));
            }
            else if (c == '?')
            {
                tokens.Add(new PatternToken(PatternTokenKind.AnyCharacter, c));
            }
            else
            {
                tokens.Add(new PatternToken(PatternTokenKind.Literal, c));
            }
        }

        return new WildcardPattern(tokens);
    }

    public static WildcardPattern Literal(string value)
    {
        var tokens = new List<PatternToken>(value.Length);
        foreach (var c in value)
        {
            tokens.Add(new PatternToken(PatternTokenKind.Literal, c));
        }

        return new WildcardPattern(tokens);
    }

    public string LiteralText()
    {
        var builder = new StringBuilder(Tokens.Count);
        foreach (var token in Tokens)
        {
            builder.Append(token.Character);
        }

        return builder.ToString();
    }

    public WildcardPattern Surround(bool leading, bool trailing)
    {
        var tokens = new List<PatternToken>(Tokens.Count + 2);
        if (leading && (Tokens.Count == 0 || Tokens[0].Kind != PatternTokenKind.AnyString))
        {
            tokens.Add(new PatternToken(PatternTokenKind.AnyString, '*'));
        }

        tokens.AddRange(Tokens);
        if (trailing && (tokens.Count == 0 || tokens[^1].Kind != PatternTokenKind.AnyString))
        {
            tokens.Add(new PatternToken(PatternTokenKind.AnyString, '*'));
        }

        return new WildcardPattern(tokens);
    }

    /// <summary>
    /// Makes a dash or slash that starts a command-line flag (not inside a word: pySigma's <c>\B[-/]\b</c>)
    /// match any windash character.
    /// </summary>
    public WildcardPattern Windash()
    {
        var tokens = new List<PatternToken>(Tokens);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind != PatternTokenKind.Literal || WindashCharacters.IndexOf(token.Character) < 0)
            {
                continue;
            }

            var previousIsWord = i > 0 && IsWordToken(tokens[i - 1]);
            var nextIsWord = i + 1 < tokens.Count && IsWordToken(tokens[i + 1]);
            if (!previousIsWord && nextIsWord)
            {
                tokens[i] = new PatternToken(PatternTokenKind.CharacterSet, token.Character, WindashCharacters);
            }
        }

        return new WildcardPattern(tokens);
    }

    private static bool IsWordToken(PatternToken token) =>
        token.Kind == PatternTokenKind.Literal && (char.IsLetterOrDigit(token.Character) || token.Character == '_');
}
