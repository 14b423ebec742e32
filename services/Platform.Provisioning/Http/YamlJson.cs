using System.Globalization;
using Platform.Sigma.Yaml;
using YamlDotNet.RepresentationModel;

namespace Platform.Provisioning.Http;

/// <summary>
/// Reads a YAML document as the JSON it stands for, so YAML and JSON bodies go through one validation.
/// Plain scalars take their YAML 1.2 core-schema types (null, booleans, numbers); quoted ones stay strings.
/// </summary>
public static partial class YamlJson
{
    /// <exception cref="YamlException">Not YAML, several documents, or past a limit of <see cref="BoundedYaml"/>.</exception>
    public static JsonNode? Parse(string yaml)
    {
        var stream = BoundedYaml.Load(yaml);
        return stream.Documents.Count switch
        {
            0 => null,
            1 => Convert(stream.Documents[0].RootNode),
            _ => throw new YamlException(stream.Documents[1].RootNode.Start, stream.Documents[1].RootNode.End, "expected one YAML document, found several"),
        };
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ToObject(mapping),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new YamlException(node.Start, node.End, $"unsupported YAML node {node.NodeType}"),
    };

    private static JsonObject ToObject(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            var name = key is YamlScalarNode { Value: { } text }
                ? text
                : throw new YamlException(key.Start, key.End, "mapping keys must be plain values");
            if (!result.TryAdd(name, Convert(value)))
            {
                throw new YamlException(key.Start, key.End, $"duplicate key '{name}'");
            }
        }
        return result;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }
        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when Integer().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
            _ when Float().IsMatch(value) => JsonValue.Create(double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(value),
        };
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
