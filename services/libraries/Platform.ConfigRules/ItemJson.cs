namespace Platform.ConfigRules;

/// <summary>
/// Reading the fields of configuration items as AWS writes them: nested objects by name, embedded JSON documents that
/// arrived as text (a <c>policyText</c> the intake could not parse stays a string), Config's <c>1</c>/<c>true</c> flags.
/// </summary>
internal static class ItemJson
{
    /// <summary>The value at <paramref name="path"/> under <paramref name="element"/>; an embedded document held as text is parsed.</summary>
    public static JsonElement? At(JsonElement? element, params ReadOnlySpan<string> path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (Document(current) is not { ValueKind: JsonValueKind.Object } obj || !obj.TryGetProperty(name, out var next))
            {
                return null;
            }
            current = next;
        }
        return current is { ValueKind: not JsonValueKind.Null } ? Document(current) : null;
    }

    /// <summary>
    /// <paramref name="element"/>, or the JSON object or array its text holds (URL-encoded or not), as AWS embeds
    /// policies in configuration items.
    /// </summary>
    public static JsonElement? Document(JsonElement? element)
    {
        if (element is not { ValueKind: JsonValueKind.String } text)
        {
            return element;
        }
        var value = text.GetString()!.Trim();
        if (value.StartsWith("%7B", StringComparison.OrdinalIgnoreCase) || value.StartsWith("%5B", StringComparison.OrdinalIgnoreCase))
        {
            value = Uri.UnescapeDataString(value);
        }
        if (value.Length == 0 || value[0] is not ('{' or '['))
        {
            return element;
        }
        try
        {
            using var document = JsonDocument.Parse(value);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return element;
        }
    }

    /// <summary>Text, or the raw text of a number; null otherwise.</summary>
    public static string? Text(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        _ => null,
    };

    /// <summary>A flag as AWS writes them: <c>true</c>, <c>"true"</c>, or a count (<c>1</c>); null when absent or neither.</summary>
    public static bool? Flag(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.Number } n when n.TryGetDouble(out var d) => d != 0,
        { ValueKind: JsonValueKind.String } s when bool.TryParse(s.GetString(), out var b) => b,
        { ValueKind: JsonValueKind.String } s when double.TryParse(s.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d != 0,
        _ => null,
    };

    /// <summary>A whole number, given as a JSON number or as text.</summary>
    public static long? Integer(JsonElement? element) =>
        long.TryParse(Text(element), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>The elements of an array, or the value itself when it is a single one (as IAM allows for statements and actions).</summary>
    public static IEnumerable<JsonElement> Each(JsonElement? element) => element switch
    {
        null => [],
        { ValueKind: JsonValueKind.Array } array => array.EnumerateArray(),
        { } single => [single],
    };
}
