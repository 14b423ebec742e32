namespace Platform.FilterPatterns;

/// <summary>
/// A metric transformation's <c>metricValue</c>: a number (<c>1</c> to count matches), <c>$.field</c> of a JSON
/// message or <c>$field</c> of a space-delimited pattern, whose value must be a number.
/// </summary>
public sealed class MetricValue
{
    private readonly double? _constant;

    private MetricValue(double? constant, MessageField? field)
    {
        _constant = constant;
        Field = field;
    }

    /// <summary>The field the value is read from; null for a constant.</summary>
    internal MessageField? Field { get; }

    /// <summary>Parses <paramref name="text"/> for <paramref name="pattern"/>; <paramref name="error"/> says where and why when it is refused.</summary>
    public static MetricValue? TryParse(string? text, FilterPattern pattern, out FilterPatternError? error)
    {
        error = null;
        text = (text ?? "").Trim();
        if (Comparison.TryParseNumber(text, out var number))
        {
            return new(number, null);
        }
        var reader = new PatternReader(text);
        try
        {
            return text.StartsWith('$')
                ? new(null, MessageField.Read(reader, text, pattern))
                : throw reader.Error("expected a number, $.field (JSON) or $field (space-delimited)");
        }
        catch (FilterPatternException ex)
        {
            error = ex.Error;
            return null;
        }
    }

    /// <summary>The value for a matching message; null when the field is missing or not a number.</summary>
    internal double? ValueOf(FilterPatternMatch match) =>
        _constant ?? (match.ExtractedValues.TryGetValue(Field!.Key, out var text) && Comparison.TryParseNumber(text, out var value) ? value : null);
}
