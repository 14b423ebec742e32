namespace Platform.FilterPatterns;

/// <summary>
/// A CloudWatch Logs filter pattern (the syntax of metric filters, subscription filters, FilterLogEvents and Live
/// Tail), parsed once and matched against many log event messages. Three kinds, chosen by the first character:
/// <c>{</c> a JSON pattern, <c>[</c> a space-delimited pattern, anything else terms (an empty pattern matches everything).
/// </summary>
public abstract class FilterPattern
{
    /// <summary>CloudWatch Logs' limit on a filter pattern's length.</summary>
    public const int MaxLength = 1024;

    /// <summary>Parentheses (and other nesting) deeper than this are refused.</summary>
    public const int MaxDepth = 64;

    /// <summary>CloudWatch Logs' limit on regular expressions in one pattern.</summary>
    public const int MaxRegexes = 2;

    private protected FilterPattern()
    {
    }

    /// <summary>The names <see cref="MetricValue"/> may refer to as <c>$name</c> (the fields of a space-delimited pattern).</summary>
    internal virtual IReadOnlySet<string> FieldNames { get; } = new HashSet<string>();

    /// <summary>Parses <paramref name="text"/>; <paramref name="error"/> says where and why when it is not a pattern CloudWatch Logs would accept.</summary>
    public static FilterPattern? TryParse(string? text, out FilterPatternError? error)
    {
        error = null;
        text ??= "";
        if (text.Length > MaxLength)
        {
            error = new FilterPatternError(MaxLength + 1, $"the pattern is {text.Length} characters long: at most {MaxLength}");
            return null;
        }
        var reader = new PatternReader(text);
        try
        {
            reader.SkipWhitespace();
            FilterPattern pattern = reader.AtEnd ? TermPattern.Parse(reader)
                : reader.Current == '{' ? JsonPattern.Parse(reader)
                : reader.Current == '[' ? DelimitedPattern.Parse(reader)
                : TermPattern.Parse(reader);
            reader.SkipWhitespace();
            return reader.AtEnd ? pattern : throw reader.Error($"unexpected '{reader.Current}' after the end of the pattern");
        }
        catch (FilterPatternException ex)
        {
            error = ex.Error;
            return null;
        }
    }

    /// <summary>Whether <paramref name="message"/> matches, and the values the pattern extracted from it.</summary>
    public FilterPatternMatch Match(string message) => Match(message, []);

    /// <summary>As <see cref="Match(string)"/>, also extracting <paramref name="selectors"/> (a metric value's JSON field).</summary>
    internal abstract FilterPatternMatch Match(string message, IReadOnlyList<JsonSelector> selectors);
}

/// <summary>The outcome of matching one message.</summary>
/// <param name="IsMatch">Whether the message matched.</param>
/// <param name="ExtractedValues">
/// What the pattern extracted, keyed as TestMetricFilter keys them: <c>$name</c> for space-delimited fields,
/// <c>$.a.b</c> for JSON fields; empty for terms.
/// </param>
public sealed record FilterPatternMatch(bool IsMatch, IReadOnlyDictionary<string, string> ExtractedValues)
{
    public static readonly FilterPatternMatch None = new(false, new Dictionary<string, string>());
}
