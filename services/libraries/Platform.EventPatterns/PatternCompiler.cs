namespace Platform.EventPatterns;

/// <summary>
/// Turns a pattern's JSON into matchers, refusing what EventBridge refuses: a pattern or field that is not an object
/// or an array, empty objects and arrays, values that are not strings, numbers, booleans or null, unknown operators,
/// operators with more than one key or the wrong operand, numeric bounds out of order or out of range, bad CIDR
/// blocks, bad wildcards, and <c>$or</c> that is not an array of two or more objects.
/// </summary>
internal static class PatternCompiler
{
    /// <summary>EventBridge compares numbers between these bounds (inclusive).</summary>
    public const double MaxNumber = 5.0e9;

    private const string Or = "$or";

    /// <summary>Operator names, which may not be field names inside <c>$or</c> (so a misplaced operator is not silently a field).</summary>
    private static readonly HashSet<string> Operators = new(StringComparer.Ordinal)
    {
        "prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "exists", "cidr",
    };

    public static ObjectMatcher Compile(JsonElement pattern)
    {
        if (pattern.ValueKind != JsonValueKind.Object)
        {
            throw new EventPatternException("$", "an event pattern is a JSON object");
        }
        return CompileObject(pattern, "$", depth: 1, insideOr: false);
    }

    private static ObjectMatcher CompileObject(JsonElement pattern, string path, int depth, bool insideOr)
    {
        if (depth > EventPattern.MaxDepth)
        {
            throw new EventPatternException(path, $"nested more than {EventPattern.MaxDepth} levels deep");
        }
        var fields = new List<FieldMatcher>();
        var alternatives = new List<IReadOnlyList<ObjectMatcher>>();
        foreach (var property in pattern.EnumerateObject())
        {
            var fieldPath = Child(path, property.Name);
            if (property.Name == Or)
            {
                alternatives.Add(CompileOr(property.Value, fieldPath, depth));
                continue;
            }
            if (insideOr && Operators.Contains(property.Name))
            {
                throw new EventPatternException(fieldPath, $"'{property.Name}' is an operator, not a field: inside $or give fields, with the operator in the field's array");
            }
            fields.Add(property.Value.ValueKind switch
            {
                JsonValueKind.Object => new FieldMatcher(property.Name, CompileObject(property.Value, fieldPath, depth + 1, insideOr), null),
                JsonValueKind.Array => new FieldMatcher(property.Name, null, CompileValues(property.Value, fieldPath)),
                _ => throw new EventPatternException(fieldPath, $"must be an object or an array of values, not {Describe(property.Value)}"),
            });
        }
        if (fields.Count == 0 && alternatives.Count == 0)
        {
            throw new EventPatternException(path, "is an empty object: EventBridge does not allow them");
        }
        return new ObjectMatcher(fields, alternatives);
    }

    private static List<ObjectMatcher> CompileOr(JsonElement value, string path, int depth)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new EventPatternException(path, "must be an array of two or more objects");
        }
        var branches = new List<ObjectMatcher>();
        var index = 0;
        foreach (var branch in value.EnumerateArray())
        {
            var branchPath = $"{path}[{index++}]";
            if (branch.ValueKind != JsonValueKind.Object)
            {
                throw new EventPatternException(branchPath, $"must be an object, not {Describe(branch)}");
            }
            branches.Add(CompileObject(branch, branchPath, depth + 1, insideOr: true));
        }
        if (branches.Count < 2)
        {
            throw new EventPatternException(path, $"holds {branches.Count} objects: $or needs at least 2");
        }
        return branches;
    }

    private static List<ValueMatcher> CompileValues(JsonElement values, string path)
    {
        var matchers = new List<ValueMatcher>();
        var index = 0;
        foreach (var value in values.EnumerateArray())
        {
            var valuePath = $"{path}[{index++}]";
            matchers.Add(value.ValueKind switch
            {
                JsonValueKind.String => new ExactString(value.GetString()!),
                JsonValueKind.Number => new ExactNumber(Number(value, valuePath)),
                JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => new ExactLiteral(value.ValueKind),
                JsonValueKind.Object => CompileOperator(value, valuePath),
                _ => throw new EventPatternException(valuePath, "a value is a string, number, true, false, null or an operator object, not an array"),
            });
        }
        if (matchers.Count == 0)
        {
            throw new EventPatternException(path, "is an empty array: give at least one value");
        }
        return matchers;
    }

    private static ValueMatcher CompileOperator(JsonElement expression, string path)
    {
        var (name, operand) = SingleProperty(expression, path, "an operator object");
        var operandPath = Child(path, name);
        switch (name)
        {
            case "prefix":
            case "suffix":
                var (affix, ignoreCase) = AffixOperand(operand, operandPath, name);
                var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                return name == "prefix" ? new Prefix(affix, comparison) : new Suffix(affix, comparison);
            case "equals-ignore-case":
                return new EqualsIgnoreCase(RequireString(operand, operandPath, name));
            case "wildcard":
                return new WildcardMatcher(CompileWildcard(RequireString(operand, operandPath, name), operandPath));
            case "anything-but":
                return new AnythingBut(CompileAnythingBut(operand, operandPath));
            case "numeric":
                return CompileNumeric(operand, operandPath);
            case "exists":
                return operand.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? new Exists(operand.ValueKind == JsonValueKind.True)
                    : throw new EventPatternException(operandPath, $"must be true or false, not {Describe(operand)}");
            case "cidr":
                return Cidr.TryParse(RequireString(operand, operandPath, name), out var reason) ?? throw new EventPatternException(operandPath, reason!);
            default:
                throw new EventPatternException(path, $"unknown operator '{name}': use prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists or cidr");
        }
    }

    /// <summary><c>"us-"</c> or <c>{"equals-ignore-case": "US-"}</c>.</summary>
    private static (string Affix, bool IgnoreCase) AffixOperand(JsonElement operand, string path, string name)
    {
        if (operand.ValueKind == JsonValueKind.Object)
        {
            var (inner, value) = SingleProperty(operand, path, $"a {name} object");
            return inner == "equals-ignore-case"
                ? (RequireString(value, Child(path, inner), inner), true)
                : throw new EventPatternException(Child(path, inner), $"'{inner}' cannot qualify {name}: only equals-ignore-case can");
        }
        return (RequireString(operand, path, name), false);
    }

    private static List<ValueMatcher> CompileAnythingBut(JsonElement operand, string path)
    {
        switch (operand.ValueKind)
        {
            case JsonValueKind.String:
                return [new ExactString(operand.GetString()!)];
            case JsonValueKind.Number:
                return [new ExactNumber(Number(operand, path))];
            case JsonValueKind.Array:
                var strings = operand.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String);
                var numbers = operand.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number);
                if (operand.GetArrayLength() == 0 || !(strings || numbers))
                {
                    throw new EventPatternException(path, "must list strings only or numbers only (at least one)");
                }
                return [.. operand.EnumerateArray().Select(v => strings ? (ValueMatcher)new ExactString(v.GetString()!) : new ExactNumber(Number(v, path)))];
            case JsonValueKind.Object:
                var (name, value) = SingleProperty(operand, path, "an anything-but object");
                var valuePath = Child(path, name);
                return name switch
                {
                    "prefix" => [new Prefix(RequireNonEmpty(value, valuePath, name), StringComparison.Ordinal)],
                    "suffix" => [new Suffix(RequireNonEmpty(value, valuePath, name), StringComparison.Ordinal)],
                    "equals-ignore-case" => [.. StringOrStrings(value, valuePath, name).Select(s => new EqualsIgnoreCase(s))],
                    "wildcard" => [.. StringOrStrings(value, valuePath, name).Select(s => new WildcardMatcher(CompileWildcard(s, valuePath)))],
                    _ => throw new EventPatternException(valuePath, $"anything-but does not take '{name}': use prefix, suffix, equals-ignore-case or wildcard"),
                };
            default:
                throw new EventPatternException(path, $"must be a string, a number, a list of either, or an object, not {Describe(operand)}");
        }
    }

    private static NumericRange CompileNumeric(JsonElement operand, string path)
    {
        if (operand.ValueKind != JsonValueKind.Array)
        {
            throw new EventPatternException(path, "must be an array: [\"<\", 10] or [\">\", 0, \"<=\", 5]");
        }
        var terms = operand.EnumerateArray().ToList();
        if (terms.Count is not (2 or 4))
        {
            throw new EventPatternException(path, $"holds {terms.Count} elements: one comparison (operator, number) or two (a lower bound, then an upper bound)");
        }
        var (first, firstValue) = Comparison(terms, 0, path);
        if (terms.Count == 2)
        {
            return first switch
            {
                "=" => new NumericRange(firstValue, false, firstValue, false),
                ">" => new NumericRange(firstValue, true, null, false),
                ">=" => new NumericRange(firstValue, false, null, false),
                "<" => new NumericRange(null, false, firstValue, true),
                _ => new NumericRange(null, false, firstValue, false),
            };
        }
        if (first is not (">" or ">="))
        {
            throw new EventPatternException($"{path}[0]", $"a range starts with its lower bound ('>' or '>='), not '{first}'");
        }
        var (second, secondValue) = Comparison(terms, 2, path);
        if (second is not ("<" or "<="))
        {
            throw new EventPatternException($"{path}[2]", $"a range ends with its upper bound ('<' or '<='), not '{second}'");
        }
        if (firstValue >= secondValue)
        {
            throw new EventPatternException(path, $"the lower bound {firstValue} is not below the upper bound {secondValue}");
        }
        return new NumericRange(firstValue, first == ">", secondValue, second == "<");
    }

    private static (string Operator, double Value) Comparison(List<JsonElement> terms, int at, string path)
    {
        var op = terms[at].ValueKind == JsonValueKind.String ? terms[at].GetString()! : null;
        if (op is not ("=" or "<" or "<=" or ">" or ">="))
        {
            throw new EventPatternException($"{path}[{at}]", $"expected a comparison ('=', '<', '<=', '>' or '>='), not {Describe(terms[at])}");
        }
        if (terms[at + 1].ValueKind != JsonValueKind.Number)
        {
            throw new EventPatternException($"{path}[{at + 1}]", $"'{op}' compares with a number, not {Describe(terms[at + 1])}");
        }
        var value = Number(terms[at + 1], $"{path}[{at + 1}]");
        if (Math.Abs(value) > MaxNumber)
        {
            throw new EventPatternException($"{path}[{at + 1}]", $"{value} is outside the numbers EventBridge compares (-5.0e9 to 5.0e9)");
        }
        return (op, value);
    }

    private static double Number(JsonElement value, string path) =>
        value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : throw new EventPatternException(path, $"{value.GetRawText()} is not a number EventBridge can hold");

    private static Wildcard CompileWildcard(string text, string path) =>
        Wildcard.TryParse(text, out var reason) ?? throw new EventPatternException(path, reason!);

    private static IEnumerable<string> StringOrStrings(JsonElement value, string path, string name)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            var items = value.EnumerateArray().ToList();
            if (items.Count == 0 || items.Any(i => i.ValueKind != JsonValueKind.String))
            {
                throw new EventPatternException(path, $"{name} takes a string or a list of strings (at least one)");
            }
            return items.Select(i => i.GetString()!);
        }
        return [RequireString(value, path, name)];
    }

    private static (string Name, JsonElement Value) SingleProperty(JsonElement expression, string path, string what)
    {
        using var properties = expression.EnumerateObject();
        if (!properties.MoveNext())
        {
            throw new EventPatternException(path, $"is {what} without an operator");
        }
        var property = properties.Current;
        if (properties.MoveNext())
        {
            throw new EventPatternException(Child(path, properties.Current.Name), $"{what} holds one key only");
        }
        return (property.Name, property.Value);
    }

    private static string RequireString(JsonElement value, string path, string name) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new EventPatternException(path, $"{name} takes a string, not {Describe(value)}");

    private static string RequireNonEmpty(JsonElement value, string path, string name) =>
        RequireString(value, path, name) is { Length: > 0 } text ? text : throw new EventPatternException(path, $"{name} inside anything-but cannot be empty");

    private static string Child(string path, string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '$')
            ? $"{path}.{name}"
            : $"{path}[{JsonSerializer.Serialize(name)}]";

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {JsonSerializer.Serialize(value.GetString())}",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        _ => value.GetRawText(),
    };
}
