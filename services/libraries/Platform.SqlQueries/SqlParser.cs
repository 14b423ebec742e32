using System.Globalization;

namespace Platform.SqlQueries;

/// <summary>
/// A hand-written recursive-descent parser for the SELECT subset CloudTrail Lake and Athena queries use. Anything
/// outside the subset (joins, subqueries, set operations, other statements) is refused naming the construct and where
/// it starts, rather than as a generic syntax error, so the analyst knows what to rewrite.
/// </summary>
public sealed class SqlParser
{
    /// <summary>How deep expressions may nest (parentheses, NOT, operators): recursion stays bounded whatever the input.</summary>
    public const int MaxDepth = 64;

    /// <summary>The longest statement accepted, in characters.</summary>
    public const int MaxLength = 16_384;

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "ORDER", "LIMIT", "AND", "OR", "NOT", "IN", "IS", "NULL",
        "LIKE", "BETWEEN", "AS", "ASC", "DESC", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "OUTER", "NATURAL",
        "ON", "USING", "UNION", "INTERSECT", "EXCEPT", "DISTINCT", "ALL", "CASE", "WHEN", "THEN", "ELSE", "END", "EXISTS",
        "WITH", "OFFSET", "FETCH", "WINDOW", "OVER", "TRUE", "FALSE", "ESCAPE", "LATERAL", "NULLS", "INTO",
    };

    /// <summary>Statements other than SELECT, named when refused.</summary>
    private static readonly HashSet<string> OtherStatements = new(StringComparer.OrdinalIgnoreCase)
    {
        "INSERT", "UPDATE", "DELETE", "MERGE", "CREATE", "DROP", "ALTER", "TRUNCATE", "GRANT", "REVOKE", "CALL", "SET",
        "SHOW", "DESCRIBE", "EXPLAIN", "COPY", "VALUES", "TABLE", "USE", "PREPARE", "EXECUTE", "DEALLOCATE", "COMMENT",
        "ANALYZE", "VACUUM", "DO", "BEGIN", "COMMIT", "ROLLBACK", "START", "RESET", "LISTEN", "NOTIFY", "LOCK",
    };

    private static readonly HashSet<string> JoinWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "LATERAL",
    };

    private readonly string _text;
    private int _offset;
    private Token _current;
    private int _depth;

    private SqlParser(string text)
    {
        _text = text;
        _current = Lex();
    }

    /// <summary>Parses one statement; a refusal as <paramref name="error"/>.</summary>
    public static SelectQuery? TryParse(string text, out SqlQueryError? error)
    {
        error = null;
        try
        {
            if (text.Length > MaxLength)
            {
                throw new SqlQueryException(MaxLength + 1, $"the statement is longer than {MaxLength} characters");
            }
            return new SqlParser(text).ParseStatement();
        }
        catch (SqlQueryException ex)
        {
            error = ex.Error;
            return null;
        }
    }

    private enum TokenKind
    {
        Word,
        QuotedWord,
        String,
        Number,
        Symbol,
        End,
    }

    /// <summary>A token: <see cref="Start"/> is its 0-based offset, <see cref="Text"/> its value (unquoted for strings).</summary>
    private readonly record struct Token(TokenKind Kind, string Text, int Start, int End)
    {
        public int Position => Start + 1;

        public bool IsWord(string word) => Kind == TokenKind.Word && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);

        public bool IsSymbol(string symbol) => Kind == TokenKind.Symbol && Text == symbol;

        public string Shown => Kind switch
        {
            TokenKind.End => "the end of the statement",
            TokenKind.String => $"'{Truncate(Text)}'",
            _ => $"'{Truncate(Text)}'",
        };

        private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "...";
    }

    private SelectQuery ParseStatement()
    {
        var first = _current;
        if (first.IsWord("WITH"))
        {
            throw Refuse(first, "WITH (common table expressions) is not supported");
        }
        if (first.Kind == TokenKind.Word && OtherStatements.Contains(first.Text))
        {
            throw Refuse(first, $"{first.Text.ToUpperInvariant()} statements are not supported: only SELECT");
        }
        if (first.IsSymbol("("))
        {
            throw Refuse(first, "a parenthesised query is not supported");
        }
        var query = ParseSelect();
        if (_current.IsSymbol(";"))
        {
            Advance();
        }
        if (_current.Kind != TokenKind.End)
        {
            throw Unexpected(_current, "the end of the statement");
        }
        return query;
    }

    private SelectQuery ParseSelect()
    {
        Expect("SELECT");
        if (_current.IsWord("DISTINCT") || _current.IsWord("ALL"))
        {
            throw Refuse(_current, $"SELECT {_current.Text.ToUpperInvariant()} is not supported");
        }
        var items = ParseCommaList(ParseSelectItem);
        if (!_current.IsWord("FROM"))
        {
            throw Unexpected(_current, "FROM");
        }
        Advance();
        var table = ParseTable();

        SqlExpression? where = null, having = null;
        List<SqlExpression> groupBy = [];
        List<OrderItem> orderBy = [];
        long? limit = null;
        if (_current.IsWord("WHERE"))
        {
            Advance();
            where = ParseExpression();
        }
        if (_current.IsWord("GROUP"))
        {
            Advance();
            Expect("BY");
            groupBy = ParseCommaList(ParseExpression);
        }
        if (_current.IsWord("HAVING"))
        {
            Advance();
            having = ParseExpression();
        }
        if (_current.IsWord("WINDOW"))
        {
            throw Refuse(_current, "WINDOW is not supported");
        }
        if (_current.IsWord("ORDER"))
        {
            Advance();
            Expect("BY");
            orderBy = ParseCommaList(ParseOrderItem);
        }
        if (_current.IsWord("OFFSET") || _current.IsWord("FETCH"))
        {
            throw Refuse(_current, $"{_current.Text.ToUpperInvariant()} is not supported: use LIMIT");
        }
        if (_current.IsWord("LIMIT"))
        {
            Advance();
            var count = _current;
            if (count.Kind != TokenKind.Number || !long.TryParse(count.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                throw Refuse(count, $"LIMIT takes a whole number of rows, not {count.Shown}");
            }
            Advance();
            limit = value;
        }
        if (_current.IsWord("UNION") || _current.IsWord("INTERSECT") || _current.IsWord("EXCEPT"))
        {
            throw Refuse(_current, $"{_current.Text.ToUpperInvariant()} is not supported");
        }
        if (_current.IsWord("OFFSET"))
        {
            throw Refuse(_current, "OFFSET is not supported");
        }
        return new SelectQuery(items, table, where, groupBy, having, orderBy, limit);
    }

    private SelectItem ParseSelectItem()
    {
        var start = _current;
        if (start.IsSymbol("*"))
        {
            Advance();
            return new SelectItem(null, null, start.Position);
        }
        var expression = ParseExpression();
        return new SelectItem(expression, ParseAlias(), start.Position);
    }

    /// <summary>An alias, with or without AS; a reserved word without AS ends the item instead.</summary>
    private string? ParseAlias()
    {
        if (_current.IsWord("AS"))
        {
            Advance();
            if (_current.Kind is not (TokenKind.Word or TokenKind.QuotedWord))
            {
                throw Unexpected(_current, "a name after AS");
            }
            var alias = _current.Text;
            Advance();
            return alias;
        }
        if (_current.Kind == TokenKind.QuotedWord || (_current.Kind == TokenKind.Word && !Reserved.Contains(_current.Text)))
        {
            var alias = _current.Text;
            Advance();
            return alias;
        }
        return null;
    }

    /// <summary>
    /// The table: a double-quoted name, or a name as the seed writes it, hyphens and all (<c>security-events</c>), an
    /// event data store's id or its ARN. Read from the text directly, since <c>-</c> and <c>:</c> are not name characters.
    /// </summary>
    private TableReference ParseTable()
    {
        var start = _current;
        if (start.IsSymbol("("))
        {
            throw Refuse(start, "subqueries are not supported");
        }
        string name;
        if (start.Kind == TokenKind.QuotedWord)
        {
            name = start.Text;
            Advance();
        }
        else if (start.Kind is TokenKind.Word or TokenKind.Number)
        {
            var end = start.Start;
            while (end < _text.Length && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] is '_' or '-' or ':' or '/' or '.'))
            {
                end++;
            }
            name = _text[start.Start..end];
            _offset = end;
            _current = Lex();
        }
        else
        {
            throw Unexpected(start, "a table name");
        }
        if (_current.IsSymbol(","))
        {
            throw Refuse(_current, "JOIN is not supported (a second table)");
        }
        if (_current.Kind == TokenKind.Word && JoinWords.Contains(_current.Text))
        {
            throw Refuse(_current, "JOIN is not supported");
        }
        var alias = ParseAlias();
        if (_current.Kind == TokenKind.Word && JoinWords.Contains(_current.Text))
        {
            throw Refuse(_current, "JOIN is not supported");
        }
        if (_current.IsSymbol(","))
        {
            throw Refuse(_current, "JOIN is not supported (a second table)");
        }
        return new TableReference(name, alias, start.Position);
    }

    private OrderItem ParseOrderItem()
    {
        var start = _current;
        var expression = ParseExpression();
        var descending = false;
        if (_current.IsWord("ASC"))
        {
            Advance();
        }
        else if (_current.IsWord("DESC"))
        {
            Advance();
            descending = true;
        }
        if (_current.IsWord("NULLS"))
        {
            throw Refuse(_current, "NULLS FIRST/LAST is not supported");
        }
        return new OrderItem(expression, descending, start.Position);
    }

    private SqlExpression ParseExpression()
    {
        if (++_depth > MaxDepth)
        {
            throw Refuse(_current, $"the expression nests deeper than {MaxDepth} levels");
        }
        try
        {
            return ParseOr();
        }
        finally
        {
            _depth--;
        }
    }

    /// <summary><paramref name="item"/> (, <paramref name="item"/>)*.</summary>
    private List<T> ParseCommaList<T>(Func<T> item)
    {
        var items = new List<T> { item() };
        while (_current.IsSymbol(","))
        {
            Advance();
            items.Add(item());
        }
        return items;
    }

    private SqlExpression ParseOr() => ParseLeftAssociative("OR", ParseAnd);

    private SqlExpression ParseAnd() => ParseLeftAssociative("AND", ParseNot);

    /// <summary><paramref name="operand"/> (<paramref name="keyword"/> <paramref name="operand"/>)*, grouped from the left.</summary>
    private SqlExpression ParseLeftAssociative(string keyword, Func<SqlExpression> operand)
    {
        var left = operand();
        while (_current.IsWord(keyword))
        {
            var op = _current;
            Advance();
            left = new BinaryExpression(keyword, left, operand(), op.Position);
        }
        return left;
    }

    private SqlExpression ParseNot()
    {
        if (_current.IsWord("NOT"))
        {
            var op = _current;
            Advance();
            if (++_depth > MaxDepth)
            {
                throw Refuse(op, $"the expression nests deeper than {MaxDepth} levels");
            }
            try
            {
                return new UnaryExpression("NOT", ParseNot(), op.Position);
            }
            finally
            {
                _depth--;
            }
        }
        return ParsePredicate();
    }

    private SqlExpression ParsePredicate()
    {
        var left = ParseAdditive();
        var op = _current;
        if (op.Kind == TokenKind.Symbol && op.Text is "=" or "<>" or "!=" or "<" or "<=" or ">" or ">=")
        {
            Advance();
            return new BinaryExpression(op.Text == "!=" ? "<>" : op.Text, left, ParseAdditive(), op.Position);
        }
        if (op.IsWord("IS"))
        {
            Advance();
            var negated = false;
            if (_current.IsWord("NOT"))
            {
                Advance();
                negated = true;
            }
            if (_current.IsWord("DISTINCT"))
            {
                throw Refuse(_current, "IS DISTINCT FROM is not supported");
            }
            Expect("NULL");
            return new IsNullExpression(left, negated, op.Position);
        }
        var not = false;
        if (op.IsWord("NOT"))
        {
            Advance();
            not = true;
        }
        if (_current.IsWord("LIKE"))
        {
            Advance();
            var pattern = ParseAdditive();
            SqlExpression? escape = null;
            if (_current.IsWord("ESCAPE"))
            {
                Advance();
                escape = ParseAdditive();
            }
            return new LikeExpression(left, pattern, escape, not, op.Position);
        }
        if (_current.IsWord("IN"))
        {
            Advance();
            ExpectSymbol("(");
            if (_current.IsWord("SELECT"))
            {
                throw Refuse(_current, "subqueries are not supported");
            }
            var items = ParseCommaList(ParseExpression);
            ExpectSymbol(")");
            return new InExpression(left, items, not, op.Position);
        }
        if (_current.IsWord("BETWEEN"))
        {
            Advance();
            var low = ParseAdditive();
            Expect("AND");
            var high = ParseAdditive();
            return new BetweenExpression(left, low, high, not, op.Position);
        }
        if (not)
        {
            throw Unexpected(_current, "LIKE, IN or BETWEEN after NOT");
        }
        if (_current.IsWord("SIMILAR") || _current.IsWord("REGEXP") || _current.IsWord("RLIKE"))
        {
            throw Refuse(_current, $"{_current.Text.ToUpperInvariant()} is not supported");
        }
        return left;
    }

    private SqlExpression ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (_current.Kind == TokenKind.Symbol && _current.Text is "+" or "-" or "||")
        {
            var op = _current;
            if (op.Text == "||")
            {
                throw Refuse(op, "string concatenation (||) is not supported");
            }
            Advance();
            left = new BinaryExpression(op.Text, left, ParseMultiplicative(), op.Position);
        }
        return left;
    }

    private SqlExpression ParseMultiplicative()
    {
        var left = ParseUnary();
        while (_current.Kind == TokenKind.Symbol && _current.Text is "*" or "/" or "%")
        {
            var op = _current;
            Advance();
            left = new BinaryExpression(op.Text, left, ParseUnary(), op.Position);
        }
        return left;
    }

    private SqlExpression ParseUnary()
    {
        if (_current.IsSymbol("-") || _current.IsSymbol("+"))
        {
            var op = _current;
            Advance();
            if (++_depth > MaxDepth)
            {
                throw Refuse(op, $"the expression nests deeper than {MaxDepth} levels");
            }
            try
            {
                var operand = ParseUnary();
                return op.Text == "+" ? operand : new UnaryExpression("-", operand, op.Position);
            }
            finally
            {
                _depth--;
            }
        }
        return ParsePrimary();
    }

    private SqlExpression ParsePrimary()
    {
        var token = _current;
        switch (token.Kind)
        {
            case TokenKind.String:
                Advance();
                return new LiteralExpression(LiteralKind.String, token.Text, token.Position);
            case TokenKind.Number:
                Advance();
                if (long.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var integer))
                {
                    return new LiteralExpression(LiteralKind.Integer, integer, token.Position);
                }
                if (decimal.TryParse(token.Text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number))
                {
                    return new LiteralExpression(LiteralKind.Decimal, number, token.Position);
                }
                throw Refuse(token, $"{token.Shown} is not a number this engine can hold");
            case TokenKind.Symbol when token.Text == "(":
                Advance();
                if (_current.IsWord("SELECT"))
                {
                    throw Refuse(_current, "subqueries are not supported");
                }
                var inner = ParseExpression();
                ExpectSymbol(")");
                return inner;
            case TokenKind.QuotedWord:
                return ParsePath();
            case TokenKind.Word:
                return ParseWord();
            default:
                throw Unexpected(token, "an expression");
        }
    }

    private SqlExpression ParseWord()
    {
        var token = _current;
        var word = token.Text.ToUpperInvariant();
        switch (word)
        {
            case "NULL":
                Advance();
                return new LiteralExpression(LiteralKind.Null, null, token.Position);
            case "TRUE" or "FALSE":
                Advance();
                return new LiteralExpression(LiteralKind.Boolean, word == "TRUE", token.Position);
            case "EXISTS":
                throw Refuse(token, "subqueries are not supported (EXISTS)");
            case "CASE":
                throw Refuse(token, "CASE is not supported");
            case "SELECT":
                throw Refuse(token, "subqueries are not supported");
            case "TIMESTAMP" or "DATE":
                if (PeekIsString())
                {
                    Advance();
                    var text = _current;
                    Advance();
                    return new LiteralExpression(LiteralKind.Timestamp, text.Text, token.Position);
                }
                break;
            case "INTERVAL":
                throw Refuse(token, "INTERVAL is not supported");
        }
        if (Reserved.Contains(token.Text))
        {
            throw Unexpected(token, "an expression");
        }
        if (PeekIsSymbol("("))
        {
            return ParseCall();
        }
        return ParsePath();
    }

    private FunctionCall ParseCall()
    {
        var name = _current;
        Advance();
        ExpectSymbol("(");
        var distinct = false;
        var star = false;
        List<SqlExpression> arguments = [];
        if (_current.IsSymbol("*"))
        {
            star = true;
            Advance();
        }
        else if (!_current.IsSymbol(")"))
        {
            if (_current.IsWord("DISTINCT"))
            {
                distinct = true;
                Advance();
            }
            else if (_current.IsWord("ALL"))
            {
                Advance();
            }
            arguments = ParseCommaList(ParseExpression);
        }
        ExpectSymbol(")");
        if (_current.IsWord("OVER"))
        {
            throw Refuse(_current, "window functions (OVER) are not supported");
        }
        if (_current.IsWord("FILTER"))
        {
            throw Refuse(_current, "FILTER on aggregates is not supported");
        }
        return new FunctionCall(name.Text, arguments, distinct, star, name.Position);
    }

    private ColumnReference ParsePath()
    {
        var first = _current;
        List<string> path = [first.Text];
        Advance();
        while (_current.IsSymbol("."))
        {
            Advance();
            if (_current.Kind is not (TokenKind.Word or TokenKind.QuotedWord))
            {
                throw Unexpected(_current, "a field name after '.'");
            }
            path.Add(_current.Text);
            Advance();
        }
        if (_current.IsSymbol("["))
        {
            throw Refuse(_current, "subscripts ([...]) are not supported: use element_at");
        }
        return new ColumnReference(path, first.Position);
    }

    private bool PeekIsSymbol(string symbol)
    {
        var saved = (_offset, _current);
        Advance();
        var result = _current.IsSymbol(symbol);
        (_offset, _current) = saved;
        return result;
    }

    private bool PeekIsString()
    {
        var saved = (_offset, _current);
        Advance();
        var result = _current.Kind == TokenKind.String;
        (_offset, _current) = saved;
        return result;
    }

    private void Advance() => _current = Lex();

    private void Expect(string word)
    {
        if (!_current.IsWord(word))
        {
            throw Unexpected(_current, word);
        }
        Advance();
    }

    private void ExpectSymbol(string symbol)
    {
        if (!_current.IsSymbol(symbol))
        {
            throw Unexpected(_current, $"'{symbol}'");
        }
        Advance();
    }

    private static SqlQueryException Unexpected(Token token, string expected) =>
        new(token.Position, $"expected {expected} but found {token.Shown}");

    private static SqlQueryException Refuse(Token token, string reason) => new(token.Position, reason);

    private Token Lex()
    {
        var text = _text;
        var i = _offset;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            if (i + 1 < text.Length && text[i] == '-' && text[i + 1] == '-')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
                continue;
            }
            if (i + 1 < text.Length && text[i] == '/' && text[i + 1] == '*')
            {
                var close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    throw new SqlQueryException(i + 1, "the comment is not closed with */");
                }
                i = close + 2;
                continue;
            }
            break;
        }
        if (i >= text.Length)
        {
            _offset = i;
            return new Token(TokenKind.End, "", i, i);
        }
        var start = i;
        var c = text[i];
        Token token;
        if (char.IsAsciiLetter(c) || c == '_')
        {
            while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '$'))
            {
                i++;
            }
            token = new Token(TokenKind.Word, text[start..i], start, i);
        }
        else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
        {
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
            if (i < text.Length && text[i] == '.')
            {
                i++;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
            }
            if (i < text.Length && text[i] is 'e' or 'E' && i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || (text[i + 1] is '+' or '-' && i + 2 < text.Length && char.IsAsciiDigit(text[i + 2]))))
            {
                i += 2;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
            }
            token = new Token(TokenKind.Number, text[start..i], start, i);
        }
        else if (c is '\'' or '"')
        {
            var value = new StringBuilder();
            i++;
            while (true)
            {
                if (i >= text.Length)
                {
                    throw new SqlQueryException(start + 1, c == '\'' ? "the string is not closed with '" : "the quoted name is not closed with \"");
                }
                if (text[i] == c)
                {
                    if (i + 1 < text.Length && text[i + 1] == c)
                    {
                        value.Append(c);
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                value.Append(text[i++]);
            }
            if (c == '"' && value.Length == 0)
            {
                throw new SqlQueryException(start + 1, "a quoted name cannot be empty");
            }
            token = new Token(c == '\'' ? TokenKind.String : TokenKind.QuotedWord, value.ToString(), start, i);
        }
        else
        {
            var two = i + 1 < text.Length ? text.Substring(i, 2) : null;
            if (two is "<>" or "!=" or "<=" or ">=" or "||")
            {
                i += 2;
                token = new Token(TokenKind.Symbol, two, start, i);
            }
            else if (c is ',' or '(' or ')' or '.' or ';' or '*' or '=' or '<' or '>' or '+' or '-' or '/' or '%' or '[' or ']')
            {
                i++;
                token = new Token(TokenKind.Symbol, c.ToString(), start, i);
            }
            else
            {
                throw new SqlQueryException(start + 1, $"unexpected character '{c}'");
            }
        }
        _offset = i;
        return token;
    }
}
