namespace Platform.FilterPatterns;

/// <summary>
/// A field of a matched message as a metric transformation names it: <c>$.a.b</c> of a JSON pattern or <c>$name</c>
/// of a space-delimited one. Metric values and dimension values both read one, so both are checked against the
/// pattern the same way and extracted in the same match.
/// </summary>
public sealed class MessageField
{
    private MessageField(string key, JsonSelector? selector)
    {
        Key = key;
        Selector = selector;
    }

    /// <summary>The key of its value among a match's extracted values (<c>$.a.b</c> or <c>$name</c>).</summary>
    public string Key { get; }

    /// <summary>The JSON field to extract beside the pattern's own; null for a space-delimited field (always extracted).</summary>
    internal JsonSelector? Selector { get; }

    /// <summary>Parses <paramref name="text"/> for <paramref name="pattern"/>; <paramref name="error"/> says where and why when it is refused.</summary>
    public static MessageField? TryParse(string? text, FilterPattern pattern, out FilterPatternError? error)
    {
        error = null;
        text = (text ?? "").Trim();
        var reader = new PatternReader(text);
        try
        {
            return text.StartsWith('$') ? Read(reader, text, pattern) : throw reader.Error("expected $.field (JSON) or $field (space-delimited)");
        }
        catch (FilterPatternException ex)
        {
            error = ex.Error;
            return null;
        }
    }

    /// <summary>Reads <paramref name="text"/>, which starts with <c>$</c>; throws where it is refused.</summary>
    internal static MessageField Read(PatternReader reader, string text, FilterPattern pattern)
    {
        if (text.StartsWith("$.", StringComparison.Ordinal) || text.StartsWith("$[", StringComparison.Ordinal))
        {
            var selector = pattern is JsonPattern ? JsonSelector.Read(reader) : throw reader.Error("$.field takes a JSON pattern ({ ... })");
            return reader.AtEnd ? new(selector.Path, selector) : throw reader.Error($"unexpected '{reader.Current}'");
        }
        var name = text[1..];
        return pattern.FieldNames.Contains(name)
            ? new(text, null)
            : throw reader.Error($"'{name}' is not a field of the space-delimited pattern", 1);
    }
}
