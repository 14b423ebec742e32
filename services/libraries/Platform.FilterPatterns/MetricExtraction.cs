namespace Platform.FilterPatterns;

/// <summary>
/// A metric filter's transformation compiled against its pattern: one match of a message gives whether it matched,
/// the value to publish and the dimensions' values, every field extracted in that one pass over the message.
/// </summary>
public sealed class MetricExtraction
{
    private readonly FilterPattern _pattern;
    private readonly MetricValue _value;
    private readonly IReadOnlyList<KeyValuePair<string, MessageField>> _dimensions;
    private readonly IReadOnlyList<JsonSelector> _selectors;

    /// <param name="pattern">The filter pattern.</param>
    /// <param name="value">The metric value, parsed for <paramref name="pattern"/>.</param>
    /// <param name="dimensions">Dimension name to the field giving its value, parsed for <paramref name="pattern"/>.</param>
    public MetricExtraction(FilterPattern pattern, MetricValue value, IReadOnlyList<KeyValuePair<string, MessageField>> dimensions)
    {
        _pattern = pattern;
        _value = value;
        _dimensions = dimensions;
        _selectors = dimensions.Select(d => d.Value).Prepend(value.Field).OfType<MessageField>()
            .Select(f => f.Selector).OfType<JsonSelector>().ToArray();
    }

    /// <summary>
    /// Compiles a transformation as <c>put_metric_filter</c> gives it; when refused, <paramref name="errors"/> names each
    /// wrong field as AWS does (<c>filterPattern</c>, <c>metricValue</c>, <c>dimensions.&lt;name&gt;</c>) with where and why.
    /// </summary>
    public static MetricExtraction? TryCreate(
        string? filterPattern, string? metricValue, IReadOnlyDictionary<string, string>? dimensions, out IReadOnlyList<MetricExtractionError> errors)
    {
        var found = new List<MetricExtractionError>();
        errors = found;
        if (FilterPattern.TryParse(filterPattern, out var patternError) is not { } pattern)
        {
            found.Add(new("filterPattern", patternError!));
            return null;
        }
        var value = MetricValue.TryParse(metricValue, pattern, out var valueError);
        if (value is null)
        {
            found.Add(new("metricValue", valueError!));
        }
        var fields = new List<KeyValuePair<string, MessageField>>();
        foreach (var (name, text) in dimensions ?? new Dictionary<string, string>())
        {
            if (MessageField.TryParse(text, pattern, out var fieldError) is { } field)
            {
                fields.Add(new(name, field));
            }
            else
            {
                found.Add(new($"dimensions.{name}", fieldError!));
            }
        }
        return found.Count == 0 ? new(pattern, value!, fields) : null;
    }

    /// <summary>Matches <paramref name="message"/> and extracts the value and dimensions to publish.</summary>
    public MetricSample Evaluate(string message)
    {
        var match = _pattern.Match(message, _selectors);
        if (!match.IsMatch)
        {
            return MetricSample.NoMatch;
        }
        if (_value.ValueOf(match) is not { } value)
        {
            return MetricSample.Unpublishable;
        }
        if (_dimensions.Count == 0)
        {
            return new(true, value, MetricSample.NoDimensions);
        }
        var dimensions = new Dictionary<string, string>(_dimensions.Count, StringComparer.Ordinal);
        foreach (var (name, field) in _dimensions)
        {
            if (!match.ExtractedValues.TryGetValue(field.Key, out var text))
            {
                return MetricSample.Unpublishable;
            }
            dimensions[name] = text;
        }
        return new(true, value, dimensions);
    }
}

/// <summary>A field of a metric transformation that was refused, by AWS's name for it, with where and why.</summary>
public sealed record MetricExtractionError(string Field, FilterPatternError Error);

/// <summary>What one message gives a metric filter.</summary>
/// <param name="IsMatch">Whether the pattern matched (a message that matched publishes no default value).</param>
/// <param name="Value">The value to publish; null when nothing is (no match, or the value or a dimension's field is missing or not a number).</param>
/// <param name="Dimensions">The dimensions' values by name.</param>
public readonly record struct MetricSample(bool IsMatch, double? Value, IReadOnlyDictionary<string, string> Dimensions)
{
    internal static readonly IReadOnlyDictionary<string, string> NoDimensions = new Dictionary<string, string>();

    public static readonly MetricSample NoMatch = new(false, null, NoDimensions);

    internal static readonly MetricSample Unpublishable = new(true, null, NoDimensions);
}
