namespace Platform.SqlQueries;

/// <summary>
/// The values of a statement's <c>$n</c> placeholders. A scalar given twice gets the same placeholder, so one expression
/// written twice (in the select list and in GROUP BY) compiles to the same text, which Postgres needs to match them.
/// </summary>
internal sealed class SqlParameters
{
    private readonly List<object?> _values = [];
    private readonly Dictionary<(Type, object), string> _scalars = [];

    public IReadOnlyList<object?> Values => _values;

    public string Add(object value)
    {
        if (value is Array)
        {
            _values.Add(value);
            return "$" + _values.Count;
        }
        if (!_scalars.TryGetValue((value.GetType(), value), out var placeholder))
        {
            _values.Add(value);
            placeholder = "$" + _values.Count;
            _scalars.Add((value.GetType(), value), placeholder);
        }
        return placeholder;
    }
}
