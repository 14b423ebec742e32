namespace Platform.FilterPatterns;

/// <summary>
/// A <c>%regex%</c> term: only the characters and operators CloudWatch Logs accepts (no groups, no multibyte
/// characters), run with <see cref="RegexOptions.NonBacktracking"/> so no message can make it take more than linear time.
/// </summary>
internal sealed class PatternRegex
{
    private const string Symbols = ":_#=@/;,-";
    private const string Operators = "^$?[]{}|\\*+.";

    private readonly Regex _regex;

    private PatternRegex(Regex regex) => _regex = regex;

    public bool IsMatch(string value) => _regex.IsMatch(value);

    /// <summary>Null when <paramref name="source"/> uses only what CloudWatch Logs accepts; otherwise why not, at <paramref name="offset"/>.</summary>
    public static string? Check(string source, out int offset)
    {
        if (source.Length == 0)
        {
            offset = 0;
            return "the regular expression is empty";
        }
        for (offset = 0; offset < source.Length; offset++)
        {
            var c = source[offset];
            if (c == '\\' && offset + 1 < source.Length && char.IsAscii(source[offset + 1]) && !char.IsWhiteSpace(source[offset + 1]))
            {
                offset++;
                continue;
            }
            if (!char.IsAsciiLetterOrDigit(c) && !Symbols.Contains(c) && !Operators.Contains(c))
            {
                return c is '(' or ')'
                    ? "groups ('(' and ')') are not supported in a regular expression"
                    : $"'{c}' is not allowed in a regular expression (letters, digits, {Symbols} and the operators {Operators})";
            }
        }
        return null;
    }

    /// <summary>The compiled regex, or null and why .NET's linear-time engine cannot run it.</summary>
    public static PatternRegex? TryCreate(string source, out string? reason)
    {
        try
        {
            reason = null;
            return new(new Regex(source, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            reason = $"the regular expression cannot be run in linear time: {ex.Message}";
            return null;
        }
    }
}
