namespace Platform.ConfigRules;

/// <summary>
/// A rule's <c>InputParameters</c>: AWS takes a string holding a JSON object (<c>"{\"MinimumPasswordLength\":\"14\"}"</c>);
/// the object itself is taken too. Values are text, as Config hands them to rules; numbers and booleans given as JSON
/// stand for their text.
/// </summary>
/// <param name="Values">Each parameter's value as text.</param>
/// <param name="Json">The parameters as a JSON object's text, as a Lambda function receives them; null when none were given.</param>
public sealed record RuleParameters(IReadOnlyDictionary<string, string> Values, string? Json)
{
    /// <summary>AWS's limit on <c>InputParameters</c>' text.</summary>
    public const int MaxLength = 1024;

    public static readonly RuleParameters None = new(new Dictionary<string, string>(), null);

    internal const string Field = "InputParameters";

    /// <summary>Reads <paramref name="input"/>; errors go to <paramref name="fail"/> under <c>InputParameters</c>.</summary>
    internal static RuleParameters Read(JsonElement? input, Action<string, string> fail)
    {
        if (input is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return None;
        }
        var text = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
        if (text.Length > MaxLength)
        {
            fail(Field, $"is {text.Length} characters long: at most {MaxLength}");
            return None;
        }
        JsonElement parameters;
        if (element.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                parameters = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                fail(Field, $"is not JSON: {ex.Message}");
                return None;
            }
        }
        else
        {
            parameters = element;
        }
        if (parameters.ValueKind != JsonValueKind.Object)
        {
            fail(Field, "must be a JSON object (or a string holding one) of parameter names and values");
            return None;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in parameters.EnumerateObject())
        {
            switch (parameter.Value.ValueKind)
            {
                case JsonValueKind.String:
                    values[parameter.Name] = parameter.Value.GetString()!;
                    break;
                case JsonValueKind.Number:
                    values[parameter.Name] = parameter.Value.GetRawText();
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    values[parameter.Name] = parameter.Value.ValueKind == JsonValueKind.True ? "true" : "false";
                    break;
                default:
                    fail($"{Field}.{parameter.Name}", "must be a string, a number or a boolean");
                    break;
            }
        }
        return new RuleParameters(values, parameters.GetRawText());
    }
}
