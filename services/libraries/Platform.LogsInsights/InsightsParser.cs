namespace Platform.LogsInsights;

/// <summary>
/// A hand-written recursive-descent parser of the Logs Insights query language: commands separated by <c>|</c>,
/// an optional <c>SOURCE</c> prefix, expressions with the usual precedence. Every refusal is an
/// <see cref="InsightsSyntaxException"/> with the position and what was expected there; nesting deeper than
/// <see cref="MaxDepth"/> is refused so a hostile query cannot exhaust the stack.
/// </summary>
public sealed class InsightsParser
{
    /// <summary>The deepest expressions nest (parentheses, function calls, <c>not</c>, signs).</summary>
    public const int MaxDepth = 32;

    /// <summary>The longest regular expression a query may hold; Postgres runs them, bounded.</summary>
    public const int MaxRegexLength = 1024;

    /// <summary>The longest query text accepted (StartQuery's own limit).</summary>
    public const int MaxQueryLength = 10_000;

    /// <summary>The most rows <c>limit</c> may ask for.</summary>
    public const int MaxLimit = 10_000;

    private static readonly string[] Commands = ["fields", "display", "filter", "stats", "sort", "limit", "parse", "dedup"];

    private static readonly (string Text, long Seconds)[] Units =
        [("ms", 0), ("s", 1), ("sec", 1), ("m", 60), ("min", 60), ("h", 3600), ("hr", 3600), ("d", 86400), ("w", 604800)];

    private readonly string _text;
    private int _position;
    private int _depth;

    private InsightsParser(string text) => _text = text;

    /// <summary>Parses <paramref name="text"/>; throws <see cref="InsightsSyntaxException"/> when it is not a query.</summary>
    public static InsightsQuery Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new InsightsParser(text);
        if (text.Length > MaxQueryLength)
        {
            throw parser.Error($"the query is longer than {MaxQueryLength} characters", MaxQueryLength);
        }
        return parser.ParseQuery();
    }

    private InsightsQuery ParseQuery()
    {
        SourceClause? source = null;
        if (TryKeyword("source"))
        {
            source = ParseSource();
            Expect("|", "'|' after the SOURCE clause");
        }
        var commands = new List<Command> { ParseCommand() };
        while (TryConsume("|"))
        {
            commands.Add(ParseCommand());
        }
        SkipSpace();
        if (!AtEnd)
        {
            throw Error($"expected '|' or the end of the query, found {Found()}");
        }
        return new InsightsQuery(source, commands, _text);
    }

    private SourceClause ParseSource()
    {
        var names = new List<string>();
        var prefixes = new List<string>();
        do
        {
            SkipSpace();
            if (TryKeyword("logGroups"))
            {
                Expect("(", "'(' after logGroups");
                if (!TryKeyword("namePrefix"))
                {
                    throw Error($"expected namePrefix, found {Found()}");
                }
                Expect(":", "':' after namePrefix");
                Expect("[", "'[' opening the list of prefixes");
                do
                {
                    prefixes.Add(ReadLogGroupName());
                }
                while (TryConsume(","));
                Expect("]", "',' or ']' closing the list of prefixes");
                Expect(")", "')' closing logGroups");
            }
            else
            {
                names.Add(ReadLogGroupName());
            }
        }
        while (TryConsume(","));
        return new SourceClause(names, prefixes);
    }

    private string ReadLogGroupName()
    {
        SkipSpace();
        if (AtEnd || Current is not ('\'' or '"'))
        {
            throw Error($"expected a quoted log group name, found {Found()}");
        }
        var start = _position;
        var name = ReadString();
        if (name.Length is 0 or > 512)
        {
            throw Error("a log group name is 1 to 512 characters", start);
        }
        return name;
    }

    private Command ParseCommand()
    {
        SkipSpace();
        var offset = _position;
        var word = ReadWord();
        switch (word.ToLowerInvariant())
        {
            case "fields":
                return new FieldsCommand(List(ParseProjection), offset);
            case "display":
                return new DisplayCommand(List(ParseField), offset);
            case "filter":
                return new FilterCommand(ParseExpression(), offset);
            case "stats":
                var aggregates = List(ParseProjection);
                var by = TryKeyword("by") ? List(ParseProjection) : [];
                return new StatsCommand(aggregates, by, offset);
            case "sort":
                return new SortCommand(List(ParseSortKey), offset);
            case "limit":
                return new LimitCommand(ParseLimit(), offset);
            case "parse":
                return ParseParse(offset);
            case "dedup":
                return new DedupCommand(List(ParseField), offset);
            default:
                throw Error(word.Length == 0
                    ? $"expected a command ({string.Join(", ", Commands)}), found {Found()}"
                    : $"expected a command ({string.Join(", ", Commands)}), found '{word}'", offset);
        }
    }

    private int ParseLimit()
    {
        SkipSpace();
        var start = _position;
        var digits = ReadWhile(char.IsAsciiDigit);
        if (digits.Length == 0)
        {
            throw Error($"expected the number of rows after limit, found {Found()}");
        }
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > MaxLimit)
        {
            throw Error($"limit is 1 to {MaxLimit}", start);
        }
        return count;
    }

    private ParseCommand ParseParse(int offset)
    {
        SkipSpace();
        Expr source = new FieldExpr("@message", _position);
        if (!AtEnd && Current is not ('\'' or '"' or '/'))
        {
            source = ParseField();
            SkipSpace();
        }
        if (!AtEnd && Current == '/')
        {
            var start = _position;
            var regex = ReadRegex();
            var (pattern, names) = ParseRegexes.NamedGroups(regex, reason => Error(reason, start));
            if (names.Count == 0)
            {
                throw Error("the regular expression names no field: use (?<name>...)", start);
            }
            return new ParseCommand(source, pattern, names, offset);
        }
        if (AtEnd || Current is not ('\'' or '"'))
        {
            throw Error($"expected a glob pattern in quotes or a /regular expression/, found {Found()}");
        }
        var globStart = _position;
        var glob = ReadString();
        var stars = glob.Count(c => c == '*');
        if (stars == 0)
        {
            throw Error("the pattern has no '*' to extract", globStart);
        }
        if (!TryKeyword("as"))
        {
            throw Error($"expected 'as' and the names of the fields, found {Found()}");
        }
        var fieldNames = List(() => ReadName("a field name"));
        if (fieldNames.Count != stars)
        {
            throw Error($"the pattern has {stars} '*' but {fieldNames.Count} names follow 'as'", globStart);
        }
        return new ParseCommand(source, ParseRegexes.FromGlob(glob), fieldNames, offset);
    }

    /// <summary>An expression and its direction; ascending unless <c>desc</c> follows.</summary>
    private SortKey ParseSortKey()
    {
        var expression = ParseExpression();
        var descending = TryKeyword("desc");
        if (!descending)
        {
            TryKeyword("asc");
        }
        return new SortKey(expression, descending);
    }

    private Projection ParseProjection()
    {
        var expression = ParseExpression();
        return new Projection(expression, TryKeyword("as") ? ReadName("a name after 'as'") : null);
    }

    private FieldExpr ParseField()
    {
        SkipSpace();
        var start = _position;
        return new FieldExpr(ReadName("a field name"), start);
    }

    private List<T> List<T>(Func<T> item)
    {
        var items = new List<T> { item() };
        while (TryConsume(","))
        {
            items.Add(item());
        }
        return items;
    }

    private Expr ParseExpression() => Nested(ParseOr);

    private Expr ParseOr() => ParseLeftAssociative("or", ParseAnd);

    private Expr ParseAnd() => ParseLeftAssociative("and", ParseNot);

    /// <summary><paramref name="operand"/> (<paramref name="keyword"/> <paramref name="operand"/>)*, grouped from the left.</summary>
    private Expr ParseLeftAssociative(string keyword, Func<Expr> operand)
    {
        var left = operand();
        while (TryKeyword(keyword))
        {
            left = new BinaryExpr(keyword, left, operand(), left.Offset);
        }
        return left;
    }

    private Expr ParseNot()
    {
        SkipSpace();
        var start = _position;
        if (TryKeyword("not"))
        {
            return new UnaryExpr("not", Nested(ParseNot), start);
        }
        return ParseComparison();
    }

    private Expr ParseComparison()
    {
        var left = ParseAdditive();
        SkipSpace();
        var at = _position;
        foreach (var op in (string[])["=~", "!=", "<=", ">=", "=", "<", ">"])
        {
            if (TryConsume(op))
            {
                if (op == "=~")
                {
                    SkipSpace();
                    var regexAt = _position;
                    if (AtEnd || Current != '/')
                    {
                        throw Error($"expected a /regular expression/ after '=~', found {Found()}");
                    }
                    return new BinaryExpr("=~", left, new RegexExpr(ReadRegex(), regexAt), at);
                }
                return new BinaryExpr(op, left, ParseAdditive(), at);
            }
        }
        var negated = TryKeyword("not");
        if (TryKeyword("like"))
        {
            SkipSpace();
            var patternAt = _position;
            Expr pattern = !AtEnd && Current == '/' ? new RegexExpr(ReadRegex(), patternAt)
                : !AtEnd && Current is '\'' or '"' ? new StringExpr(ReadString(), patternAt)
                : throw Error($"expected a string or a /regular expression/ after 'like', found {Found()}");
            var like = new BinaryExpr("like", left, pattern, at);
            return negated ? new UnaryExpr("not", like, at) : like;
        }
        if (TryKeyword("in"))
        {
            Expect("[", "'[' opening the list after 'in'");
            var values = List(ParseLiteral);
            Expect("]", "',' or ']' closing the list");
            return new InExpr(left, values, negated, at);
        }
        if (negated)
        {
            throw Error($"expected 'like' or 'in' after 'not', found {Found()}");
        }
        return left;
    }

    private Expr ParseLiteral()
    {
        SkipSpace();
        var start = _position;
        var literal = ParsePrimary();
        return literal is StringExpr or NumberExpr ? literal : throw Error("expected a string or a number in the list", start);
    }

    private Expr ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (true)
        {
            SkipSpace();
            var at = _position;
            if (TryConsume("+"))
            {
                left = new BinaryExpr("+", left, ParseMultiplicative(), at);
            }
            else if (!AtEnd && Current == '-')
            {
                _position++;
                left = new BinaryExpr("-", left, ParseMultiplicative(), at);
            }
            else
            {
                return left;
            }
        }
    }

    private Expr ParseMultiplicative()
    {
        var left = ParseUnary();
        while (true)
        {
            SkipSpace();
            var at = _position;
            if (!AtEnd && Current is '*' or '/' or '%')
            {
                var op = Current.ToString();
                _position++;
                left = new BinaryExpr(op, left, ParseUnary(), at);
            }
            else
            {
                return left;
            }
        }
    }

    private Expr ParseUnary()
    {
        SkipSpace();
        var start = _position;
        if (TryConsume("-"))
        {
            var operand = Nested(ParseUnary);
            return operand is NumberExpr number ? number with { Value = -number.Value, Offset = start } : new UnaryExpr("-", operand, start);
        }
        var primary = ParsePrimary();
        SkipSpace();
        var at = _position;
        if (TryConsume("^"))
        {
            return new BinaryExpr("^", primary, ParseUnary(), at);
        }
        return primary;
    }

    private Expr ParsePrimary()
    {
        SkipSpace();
        var start = _position;
        if (AtEnd)
        {
            throw Error("expected a value, a field or a function, found the end of the query");
        }
        var c = Current;
        if (c == '(')
        {
            _position++;
            var inner = ParseExpression();
            Expect(")", "')'");
            return inner;
        }
        if (c is '\'' or '"')
        {
            return new StringExpr(ReadString(), start);
        }
        if (c == '/')
        {
            return new RegexExpr(ReadRegex(), start);
        }
        if (char.IsAsciiDigit(c))
        {
            return ParseNumber(start);
        }
        if (c == '*')
        {
            _position++;
            return new StarExpr(start);
        }
        var name = ReadName("a value, a field or a function");
        SkipSpace();
        if (!AtEnd && Current == '(' && !name.Contains('.', StringComparison.Ordinal) && _text[start] != '`')
        {
            _position++;
            var arguments = Nested<List<Expr>>(() =>
            {
                if (TryConsume(")"))
                {
                    return [];
                }
                var list = List(ParseExpression);
                Expect(")", "',' or ')' closing the arguments");
                return list;
            });
            return new CallExpr(name.ToLowerInvariant(), name, arguments, start);
        }
        return new FieldExpr(name, start);
    }

    private Expr ParseNumber(int start)
    {
        var digits = ReadWhile(ch => char.IsAsciiDigit(ch) || ch == '.');
        var unit = ReadWhile(char.IsAsciiLetter);
        if (!decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || digits.Length > 30)
        {
            throw Error($"'{digits}' is not a number", start);
        }
        if (unit.Length == 0)
        {
            return new NumberExpr(value, start);
        }
        foreach (var (text, seconds) in Units)
        {
            if (string.Equals(unit, text, StringComparison.OrdinalIgnoreCase))
            {
                var total = seconds == 0 ? value / 1000 : value * seconds;
                if (total <= 0 || total > 366m * 86400 || total != decimal.Truncate(total))
                {
                    throw Error("a time period is a whole number of seconds, from 1s to 366d", start);
                }
                return new DurationExpr((long)total, digits + unit, start);
            }
        }
        throw Error($"expected a time unit (ms, s, m, h, d, w) after the number, found '{unit}'", start + digits.Length);
    }

    /// <summary>A field name: letters, digits, <c>_</c>, <c>@</c>, <c>$</c> and dots, or any text in backquotes.</summary>
    private string ReadName(string what)
    {
        SkipSpace();
        var start = _position;
        if (!AtEnd && Current == '`')
        {
            var end = _text.IndexOf('`', _position + 1);
            if (end < 0)
            {
                throw Error("the backquoted name is not closed with '`'", start);
            }
            _position = end + 1;
            var quoted = _text[(start + 1)..end];
            return quoted.Length == 0 || quoted.Length > 256 ? throw Error("a backquoted name is 1 to 256 characters", start) : quoted;
        }
        if (AtEnd || !(char.IsAsciiLetter(Current) || Current is '_' or '@' or '$'))
        {
            throw Error($"expected {what}, found {Found()}");
        }
        var name = ReadWhile(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '@' or '$' or '.');
        if (name.EndsWith('.') || name.Contains("..", StringComparison.Ordinal) || name.Length > 256)
        {
            throw Error($"'{name}' is not a field name", start);
        }
        return name;
    }

    private string ReadWord() => ReadWhile(char.IsAsciiLetter);

    /// <summary>A string in single or double quotes; a backslash escapes the next character.</summary>
    private string ReadString()
    {
        var start = _position;
        var quote = Current;
        _position++;
        var value = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                throw Error($"the string is not closed with {quote}", start);
            }
            var c = _text[_position++];
            if (c == quote)
            {
                return value.ToString();
            }
            if (c == '\\' && !AtEnd)
            {
                c = _text[_position++];
                c = c switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => c };
            }
            value.Append(c);
        }
    }

    /// <summary>A <c>/regular expression/</c>; <c>\/</c> is a slash inside it.</summary>
    private string ReadRegex()
    {
        var start = _position++;
        var value = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                throw Error("the regular expression is not closed with '/'", start);
            }
            var c = _text[_position++];
            if (c == '/')
            {
                break;
            }
            if (c == '\\' && !AtEnd && Current == '/')
            {
                c = _text[_position++];
            }
            else if (c == '\\' && !AtEnd)
            {
                value.Append(c);
                c = _text[_position++];
            }
            value.Append(c);
        }
        if (value.Length == 0)
        {
            throw Error("the regular expression is empty", start);
        }
        if (value.Length > MaxRegexLength)
        {
            throw Error($"the regular expression is longer than {MaxRegexLength} characters", start);
        }
        if (value.ToString().Contains('\0'))
        {
            throw Error("the regular expression holds a NUL character", start);
        }
        return value.ToString();
    }

    private bool AtEnd => _position >= _text.Length;

    private char Current => _text[_position];

    private void SkipSpace()
    {
        while (!AtEnd)
        {
            if (char.IsWhiteSpace(Current))
            {
                _position++;
            }
            else if (Current == '#')
            {
                // A comment runs to the end of the line.
                while (!AtEnd && Current != '\n')
                {
                    _position++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private string ReadWhile(Func<char, bool> allowed)
    {
        var start = _position;
        while (!AtEnd && allowed(Current))
        {
            _position++;
        }
        return _text[start.._position];
    }

    private bool TryConsume(string token)
    {
        SkipSpace();
        if (string.CompareOrdinal(_text, _position, token, 0, token.Length) != 0)
        {
            return false;
        }
        _position += token.Length;
        return true;
    }

    /// <summary>Whether the keyword comes next as a whole word (any case); consumes it when it does.</summary>
    private bool TryKeyword(string keyword)
    {
        SkipSpace();
        if (string.Compare(_text, _position, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) != 0)
        {
            return false;
        }
        var end = _position + keyword.Length;
        if (end < _text.Length && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] is '_' or '.' or '@' or '$'))
        {
            return false;
        }
        _position = end;
        return true;
    }

    private void Expect(string token, string what)
    {
        if (!TryConsume(token))
        {
            throw Error($"expected {what}, found {Found()}");
        }
    }

    /// <summary>Parses one level deeper: refuses a query that nests more than <see cref="MaxDepth"/> levels.</summary>
    private T Nested<T>(Func<T> parse)
    {
        if (++_depth > MaxDepth)
        {
            throw Error($"the query nests more than {MaxDepth} levels deep");
        }
        try
        {
            return parse();
        }
        finally
        {
            _depth--;
        }
    }

    private string Found()
    {
        SkipSpace();
        return AtEnd ? "the end of the query" : $"'{Current}'";
    }

    private InsightsSyntaxException Error(string reason, int? at = null) => InsightsSyntaxException.At(_text, at ?? _position, reason);
}
