namespace Platform.Sigma.Yaml;

/// <summary>
/// Turns a YAML node of a rule file (a test case's event) into the JSON document the engine evaluates. Plain
/// scalars are typed as YAML resolves them (numbers, booleans, null); quoted ones stay strings. A quoted or block
/// scalar holding a JSON object is that object, so an event may be pasted as CloudTrail writes it. The YAML was
/// read by <see cref="BoundedYaml"/>, so its depth and size are bounded; embedded JSON gets the same depth bound.
/// </summary>
public static partial class YamlJson
{
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = BoundedYaml.MaxDepth };

    /// <exception cref="FormatException">The node is neither a mapping nor a JSON object in a string.</exception>
    public static JsonElement ToDocument(YamlNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node is YamlScalarNode { Style: not (ScalarStyle.Plain or ScalarStyle.Any), Value: { } text } && text.TrimStart().StartsWith('{'))
        {
            try
            {
                using var parsed = JsonDocument.Parse(text, s_options);
                return parsed.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new FormatException($"the event is not valid JSON: {ex.Message}", ex);
            }
        }

        if (node is not YamlMappingNode)
        {
            throw new FormatException("an event must be a mapping (YAML or JSON object)");
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, node);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory, s_options);
        return document.RootElement.Clone();
    }

    private static void Write(Utf8JsonWriter writer, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                writer.WriteStartObject();
                foreach (var (key, value) in map.Children)
                {
                    writer.WritePropertyName(key is YamlScalarNode { Value: { } name } ? name : throw new FormatException($"line {key.Start.Line}: keys must be plain values"));
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                foreach (var item in sequence)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar);
                break;
            default:
                throw new FormatException($"line {node.Start.Line}: unsupported YAML node");
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            writer.WriteStringValue(text);
        }
        else if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            writer.WriteNullValue();
        }
        else if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            writer.WriteBooleanValue(text.Equals("true", StringComparison.OrdinalIgnoreCase));
        }
        else if (NumberPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            writer.WriteRawValue(text.TrimStart('+'), skipInputValidation: false);
        }
        else
        {
            writer.WriteStringValue(text);
        }
    }

    /// <summary>JSON's number grammar, which YAML's plain numbers mostly share (what JSON cannot hold stays a string).</summary>
    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}
