namespace Platform.ConfigRules.Managed;

/// <summary>The types AWS documents for managed rule parameters.</summary>
public enum ManagedParameterType
{
    String,
    Boolean,
    Integer,
}

/// <summary>One documented parameter of a managed rule: its type, its default, and (integers) its range.</summary>
public sealed record ManagedRuleParameter(string Name, ManagedParameterType Type, string? Default = null, long Minimum = long.MinValue, long Maximum = long.MaxValue)
{
    public static ManagedRuleParameter Boolean(string name, bool defaultValue) => new(name, ManagedParameterType.Boolean, defaultValue ? "true" : "false");

    public static ManagedRuleParameter Integer(string name, long defaultValue, long minimum, long maximum) =>
        new(name, ManagedParameterType.Integer, defaultValue.ToString(CultureInfo.InvariantCulture), minimum, maximum);

    public static ManagedRuleParameter Text(string name) => new(name, ManagedParameterType.String);

    /// <summary>Why <paramref name="value"/> is not a value of this parameter; null when it is.</summary>
    internal string? Check(string value) => Type switch
    {
        // AWS treats anything but a lowercase "true" as false, which silently turns a check off: only true and false are taken.
        ManagedParameterType.Boolean when value is not ("true" or "false") =>
            $"'{value}' is not a boolean: write true or false (lowercase; AWS reads any other value as false)",
        ManagedParameterType.Integer when !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) =>
            $"'{value}' is not a whole number",
        ManagedParameterType.Integer when long.Parse(value, CultureInfo.InvariantCulture) is var number && (number < Minimum || number > Maximum) =>
            $"{value} is out of range: {Minimum} to {Maximum}",
        ManagedParameterType.String when value.Length > 256 => $"is {value.Length} characters long: at most 256",
        _ => null,
    };
}

/// <summary>A managed rule's parameters after checking: the given values, else the documented defaults.</summary>
public sealed class ManagedRuleArguments(IReadOnlyDictionary<string, string> values)
{
    /// <summary>A boolean parameter (its default when not given).</summary>
    public bool Boolean(string name) => values.TryGetValue(name, out var value) && value == "true";

    /// <summary>An integer parameter (its default when not given).</summary>
    public long Integer(string name) => long.Parse(values[name], CultureInfo.InvariantCulture);

    /// <summary>A string parameter; null when not given and without default.</summary>
    public string? Text(string name) => values.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>
    /// Checks <paramref name="parameters"/> against <paramref name="rule"/>'s documented ones (unknown names and bad
    /// values go to <paramref name="fail"/> under <c>InputParameters.&lt;name&gt;</c>) and fills in the defaults.
    /// </summary>
    internal static ManagedRuleArguments Read(ManagedRule rule, RuleParameters parameters, Action<string, string> fail)
    {
        var known = rule.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters.Values)
        {
            var field = $"{RuleParameters.Field}.{name}";
            if (!known.TryGetValue(name, out var parameter))
            {
                fail(field, known.Count == 0
                    ? $"is not a parameter of {rule.Identifier}: it takes none"
                    : $"is not a parameter of {rule.Identifier}: it takes {string.Join(", ", known.Keys)}");
            }
            else if (parameter.Check(value) is { } reason)
            {
                fail(field, reason);
            }
            else
            {
                values[name] = value;
            }
        }
        foreach (var parameter in rule.Parameters)
        {
            if (parameter.Default is not null)
            {
                values.TryAdd(parameter.Name, parameter.Default);
            }
        }
        return new ManagedRuleArguments(values);
    }
}
