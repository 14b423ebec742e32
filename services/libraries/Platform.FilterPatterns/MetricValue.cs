namespace Platform.FilterPatterns;

/// <summary>
/// A metric transformation's <c>metricValue</c>: a number (<c>1</c> to count matches), <c>$.field</c> of a JSON
/// message or <c>$field</c> of a space-delimited pattern, whose value must be a number.
/// </summary>
public sealed class MetricValue
{
    private readonly double? _constant;
    private readonly JsonSelector? _selector;
    private readonly string? _field;

    private MetricValue(double? constant, JsonSelector? selector, string? field)
    {
        _constant = constant;
        _selector = selector;
        _field = field;
    }

    /// <summary>Parses <paramref name="text"/> for <paramref name="pattern"/>; <paramref name="error"/> says where and why when it is refused.</summary>
    public static MetricValue? TryParse(string? text, FilterPattern pattern, out FilterPatternError? error)
    {
        error = null;
        text = (text ?? "").Trim();
        if (Comparison.TryParseNumber(text, out var number))
        {
            return new(number, null, null);
        }
        var reader = new PatternReader(text);
        try
        {
            if (!text.StartsWith('$'))
            {
                throw reader.Error("expected a number, $.field (JSON) or $field (space-delimited)");
            }
            if (text.StartsWith("$.") || text.StartsWith("$["))
            {
                var selector = pattern is JsonPattern ? JsonSelector.Read(reader) : throw reader.Error("$.field takes a JSON pattern ({ ... })");
                return reader.AtEnd ? new(null, selector, null) : throw reader.Error($"unexpected '{reader.Current}'");
            }
            var name = text[1..];
            return pattern.FieldNames.Contains(name)
                ? new(null, null, name)
                : throw reader.Error($"'{name}' is not a field of the space-delimited pattern", 1);
        }
        catch (FilterPatternException ex)
        {
            error = ex.Error;
            return null;
        }
    }

    /// <summary>Matches <paramref name="message"/>; the value is null when it matched but the field is missing or not a number.</summary>
    public (FilterPatternMatch Match, double? Value) Evaluate(FilterPattern pattern, string message)
    {
        var match = pattern.Match(message, _selector is null ? [] : [_selector]);
        if (!match.IsMatch)
        {
            return (match, null);
        }
        if (_constant is { } constant)
        {
            return (match, constant);
        }
        var key = _selector?.Path ?? "$" + _field;
        return (match, match.ExtractedValues.TryGetValue(key, out var text) && Comparison.TryParseNumber(text, out var value) ? value : null);
    }
}
