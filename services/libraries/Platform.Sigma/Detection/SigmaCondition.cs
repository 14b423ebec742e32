namespace Platform.Sigma.Detection;

/// <summary>The syntax tree of a detection <c>condition</c>.</summary>
internal abstract record SigmaCondition;

internal sealed record AndCondition(IReadOnlyList<SigmaCondition> Operands) : SigmaCondition;

internal sealed record OrCondition(IReadOnlyList<SigmaCondition> Operands) : SigmaCondition;

internal sealed record NotCondition(SigmaCondition Operand) : SigmaCondition;

internal sealed record IdentifierCondition(string Name) : SigmaCondition;

/// <summary><c>1 of pattern</c> / <c>all of pattern</c>; a null pattern is <c>them</c>.</summary>
internal sealed record OfCondition(bool All, string? Pattern) : SigmaCondition;

/// <summary>
/// Recursive-descent parser for conditions. Precedence, loosest first: or, and, not, x of, parentheses.
/// </summary>
internal sealed class SigmaConditionParser
{
    /// <summary>
    /// Deepest nesting of <c>not</c> and parentheses. Parsing, compiling and evaluating recurse per level, so a
    /// condition of a hundred thousand <c>not</c>s would overflow the stack and end the process.
    /// </summary>
    public const int MaxDepth = 64;

    private readonly List<string> _tokens;
    private int _position;
    private int _depth;

    private SigmaConditionParser(List<string> tokens) => _tokens = tokens;

    /// <exception cref="FormatException">The condition is malformed or uses an unsupported construct.</exception>
    public static SigmaCondition Parse(string condition)
    {
        var parser = new SigmaConditionParser(Tokenize(condition));
        if (parser._tokens.Count == 0)
        {
            throw new FormatException("the condition is empty");
        }

        var result = parser.ParseOr();
        if (parser._position < parser._tokens.Count)
        {
            throw new FormatException($"unexpected '{parser._tokens[parser._position]}' in condition");
        }

        return result;
    }

    private static List<string> Tokenize(string condition)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < condition.Length)
        {
            var c = condition[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c == '|')
            {
                throw new FormatException(
                    "aggregation expressions after '|' (e.g. '| count() > 5') are deprecated and not supported; use a correlation rule");
            }
            else
            {
                var start = i;
                while (i < condition.Length && !char.IsWhiteSpace(condition[i]) && condition[i] is not ('(' or ')' or '|'))
                {
                    i++;
                }

                tokens.Add(condition[start..i]);
            }
        }

        return tokens;
    }

    private string? Peek => _position < _tokens.Count ? _tokens[_position] : null;

    private bool PeekIs(string keyword) => string.Equals(Peek, keyword, StringComparison.OrdinalIgnoreCase);

    private SigmaCondition ParseOr() => ParseJunction("or", ParseAnd, operands => new OrCondition(operands));

    private SigmaCondition ParseAnd() => ParseJunction("and", ParseNot, operands => new AndCondition(operands));

    /// <summary><paramref name="operand"/> (<paramref name="keyword"/> <paramref name="operand"/>)*: the operand alone, or all of them joined.</summary>
    private SigmaCondition ParseJunction(
        string keyword, Func<SigmaCondition> operand, Func<List<SigmaCondition>, SigmaCondition> join)
    {
        var operands = new List<SigmaCondition> { operand() };
        while (PeekIs(keyword))
        {
            _position++;
            operands.Add(operand());
        }

        return operands.Count == 1 ? operands[0] : join(operands);
    }

    private SigmaCondition ParseNot()
    {
        if (PeekIs("not"))
        {
            _position++;
            return new NotCondition(Nested(ParseNot));
        }

        return ParsePrimary();
    }

    private SigmaCondition Nested(Func<SigmaCondition> parse)
    {
        if (++_depth > MaxDepth)
        {
            throw new FormatException($"the condition nests deeper than {MaxDepth} levels (of 'not' and parentheses)");
        }

        var result = parse();
        _depth--;
        return result;
    }

    private SigmaCondition ParsePrimary()
    {
        var token = Peek ?? throw new FormatException("the condition ends where an identifier or '(' was expected");
        _position++;
        if (token == "(")
        {
            var inner = Nested(ParseOr);
            if (Peek != ")")
            {
                throw new FormatException("missing ')' in condition");
            }

            _position++;
            return inner;
        }

        if (token == ")" || token.Equals("and", StringComparison.OrdinalIgnoreCase) || token.Equals("or", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"unexpected '{token}' in condition");
        }

        if (token.Equals("near", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException("the 'near' operator is deprecated and not supported; use a temporal correlation rule");
        }

        if (PeekIs("of"))
        {
            _position++;
            var all = token.Equals("all", StringComparison.OrdinalIgnoreCase);
            if (!all && token != "1" && !token.Equals("any", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException($"'{token} of' is not supported; only '1 of' and 'all of' are");
            }

            var target = Peek ?? throw new FormatException($"'{token} of' must be followed by a search identifier pattern or 'them'");
            if (target is "(" or ")")
            {
                throw new FormatException($"'{token} of' must be followed by a search identifier pattern or 'them'");
            }

            _position++;
            return new OfCondition(all, target.Equals("them", StringComparison.OrdinalIgnoreCase) ? null : target);
        }

        return new IdentifierCondition(token);
    }
}
