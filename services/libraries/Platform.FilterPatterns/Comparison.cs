using System.Globalization;

namespace Platform.FilterPatterns;

/// <summary>The comparison operators JSON and space-delimited conditions share.</summary>
internal enum ComparisonOperator
{
    Equal,
    NotEqual,
    Less,
    Greater,
    LessOrEqual,
    GreaterOrEqual,
}

/// <summary>
/// <c>op value</c> as JSON and space-delimited conditions write it: a number compares numerically, a string
/// (quoted or not) matches whole with <c>*</c> wildcards, a <c>%regex%</c> matches anywhere. Only <c>=</c> and
/// <c>!=</c> take strings and regexes, as in CloudWatch Logs.
/// </summary>
internal sealed class Comparison
{
    private static readonly (string Token, ComparisonOperator Operator)[] Operators =
    [
        ("!=", ComparisonOperator.NotEqual), ("<=", ComparisonOperator.LessOrEqual), (">=", ComparisonOperator.GreaterOrEqual),
        ("=", ComparisonOperator.Equal), ("<", ComparisonOperator.Less), (">", ComparisonOperator.Greater),
    ];

    private readonly ComparisonOperator _operator;
    private readonly double? _number;
    private readonly string? _literal;
    private readonly Regex? _wildcard;
    private readonly PatternRegex? _regex;

    private Comparison(ComparisonOperator op, double? number = null, string? text = null, PatternRegex? regex = null)
    {
        _operator = op;
        _number = number;
        _regex = regex;
        // A string without '*' compares ordinally; only wildcards need the (linear-time) regex engine.
        if (text is null || !text.Contains('*'))
        {
            _literal = text;
        }
        else
        {
            _wildcard = new($"^{string.Join(".*", text.Split('*').Select(Regex.Escape))}$",
                RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }
    }

    /// <summary>Whether a comparison operator comes next.</summary>
    public static bool StartsAt(PatternReader reader)
    {
        reader.SkipWhitespace();
        return !reader.AtEnd && reader.Current is '=' or '!' or '<' or '>';
    }

    /// <summary>Reads <c>op value</c>; <paramref name="isWordChar"/> says where an unquoted value ends.</summary>
    public static Comparison Read(PatternReader reader, Func<char, bool> isWordChar)
    {
        reader.SkipWhitespace();
        var at = reader.Position;
        var op = Operators.FirstOrDefault(o => reader.TryConsume(o.Token));
        if (op.Token is null)
        {
            throw reader.Error("expected a comparison operator (=, !=, <, >, <=, >=)", at);
        }
        reader.SkipWhitespace();
        var valueAt = reader.Position;
        var numeric = op.Operator is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual);
        if (reader.AtEnd)
        {
            throw reader.Error($"expected a value after '{op.Token}'");
        }
        if (reader.Current == '%')
        {
            return numeric
                ? throw reader.Error($"'{op.Token}' compares numbers: a regular expression takes = or !=", valueAt)
                : new(op.Operator, regex: reader.ReadRegex());
        }
        var quoted = reader.Current == '"';
        var text = quoted ? reader.ReadQuoted() : reader.ReadWhile(isWordChar);
        if (!quoted && text.Length == 0)
        {
            throw reader.Error($"expected a value after '{op.Token}'", valueAt);
        }
        if (!quoted && TryParseNumber(text, out var number))
        {
            return new(op.Operator, number: number);
        }
        if (numeric)
        {
            throw reader.Error($"'{op.Token}' compares numbers: '{text}' is not a number", valueAt);
        }
        return new(op.Operator, text: text);
    }

    public static bool TryParseNumber(string text, out double number) =>
        double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out number)
        && double.IsFinite(number);

    /// <summary>
    /// Tests a value: <paramref name="text"/> is its text (null when it has none, such as a JSON object),
    /// <paramref name="exists"/> whether the field is there at all (<c>!=</c> needs the field).
    /// </summary>
    public bool Test(bool exists, string? text)
    {
        if (!exists)
        {
            return false;
        }
        if (_operator == ComparisonOperator.NotEqual)
        {
            return !Equals(text);
        }
        if (_operator == ComparisonOperator.Equal)
        {
            return Equals(text);
        }
        if (text is null || !TryParseNumber(text, out var value))
        {
            return false;
        }
        var number = _number!.Value;
        return _operator switch
        {
            ComparisonOperator.Less => value < number,
            ComparisonOperator.Greater => value > number,
            ComparisonOperator.LessOrEqual => value <= number,
            _ => value >= number,
        };
    }

    private bool Equals(string? text) => text is not null && (
        _number is { } number ? TryParseNumber(text, out var value) && value == number
        : _regex is not null ? _regex.IsMatch(text)
        : _literal is not null ? string.Equals(text, _literal, StringComparison.Ordinal)
        : _wildcard!.IsMatch(text));
}
