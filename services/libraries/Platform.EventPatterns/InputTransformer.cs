using System.Text;
using System.Text.Json.Nodes;

namespace Platform.EventPatterns;

/// <summary>
/// An EventBridge target's <c>InputTransformer</c>: values picked from the event by <c>InputPathsMap</c> and put into
/// <c>InputTemplate</c> at <c>&lt;name&gt;</c>. Inside a JSON string of the template a value goes in as text; elsewhere as
/// JSON (a string with its quotes). Reserved names: <c>aws.events.rule-name</c>, <c>aws.events.rule-arn</c>,
/// <c>aws.events.event</c> (the event without <c>detail</c>), <c>aws.events.event.json</c> (the whole event) and
/// <c>aws.events.event.ingestion-time</c>.
/// </summary>
public sealed class InputTransformer
{
    /// <summary>EventBridge's limits on an input transformer.</summary>
    public const int MaxPaths = 100;

    public const int MaxTemplateLength = 8192;

    private const string ReservedPrefix = "aws.events.";

    private readonly IReadOnlyDictionary<string, EventPath> _paths;
    private readonly string _template;

    private InputTransformer(IReadOnlyDictionary<string, EventPath> paths, string template)
    {
        _paths = paths;
        _template = template;
    }

    /// <summary>
    /// The transformer, or null with each problem as (field, reason): <c>InputPathsMap.name</c> or <c>InputTemplate</c>.
    /// </summary>
    public static InputTransformer? TryCreate(
        IReadOnlyDictionary<string, string>? pathsMap, string? template, out IReadOnlyList<(string Field, string Reason)> errors)
    {
        var problems = new List<(string, string)>();
        var paths = new Dictionary<string, EventPath>(StringComparer.Ordinal);
        pathsMap ??= new Dictionary<string, string>();
        if (pathsMap.Count > MaxPaths)
        {
            problems.Add(("InputPathsMap", $"holds {pathsMap.Count} entries: at most {MaxPaths}"));
        }
        foreach (var (name, path) in pathsMap)
        {
            if (name.Length is 0 or > 256 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                problems.Add(($"InputPathsMap.{name}", "a name is 1 to 256 letters, digits, '_' or '-' (names starting 'aws.' are reserved)"));
            }
            else if (EventPath.TryParse(path, out var reason) is { } parsed)
            {
                paths[name] = parsed;
            }
            else
            {
                problems.Add(($"InputPathsMap.{name}", reason!));
            }
        }
        if (string.IsNullOrEmpty(template) || template.Length > MaxTemplateLength)
        {
            problems.Add(("InputTemplate", $"is required: 1 to {MaxTemplateLength} characters"));
        }
        else if (problems.Count == 0)
        {
            var transformer = new InputTransformer(paths, template);
            try
            {
                // Every value as null (or empty text inside a string): what is left must be JSON.
                JsonNode.Parse(transformer.Fill(_ => null));
            }
            catch (JsonException)
            {
                problems.Add(("InputTemplate", "is not valid JSON once its <placeholders> are filled: give a JSON object, array or \"quoted string\""));
            }
            if (problems.Count == 0)
            {
                errors = [];
                return transformer;
            }
        }
        errors = problems;
        return null;
    }

    /// <summary>The target's input for <paramref name="event"/> matched by the rule <paramref name="ruleName"/>.</summary>
    public JsonNode Apply(JsonElement @event, string ruleName) =>
        JsonNode.Parse(Fill(name => Resolve(name, @event, ruleName)))!;

    private string? Resolve(string name, JsonElement @event, string ruleName)
    {
        if (_paths.TryGetValue(name, out var path))
        {
            return path.Select(@event)?.GetRawText();
        }
        string? Field(string field) => @event.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return name switch
        {
            "aws.events.rule-name" => JsonSerializer.Serialize(ruleName),
            "aws.events.rule-arn" => JsonSerializer.Serialize($"arn:aws:events:{Field("region")}:{Field("account")}:rule/{ruleName}"),
            "aws.events.event.ingestion-time" => JsonSerializer.Serialize(Field("time")),
            "aws.events.event.json" => @event.GetRawText(),
            "aws.events.event" => WithoutDetail(@event),
            _ => null,
        };
    }

    private static string WithoutDetail(JsonElement @event)
    {
        var copy = JsonNode.Parse(@event.GetRawText())!.AsObject();
        copy.Remove("detail");
        return copy.ToJsonString();
    }

    /// <summary>
    /// The template with every known placeholder replaced by <paramref name="valueOf"/>'s JSON (null when absent):
    /// as it is outside strings, as its text (a string's content, escaped) inside them.
    /// </summary>
    private string Fill(Func<string, string?> valueOf)
    {
        var output = new StringBuilder(_template.Length);
        var inString = false;
        for (var i = 0; i < _template.Length; i++)
        {
            var c = _template[i];
            if (c == '"' && !IsEscaped(i))
            {
                inString = !inString;
            }
            else if (c == '<' && _template.IndexOf('>', i) is var close && close > i + 1)
            {
                var name = _template[(i + 1)..close];
                if (Known(name))
                {
                    var json = valueOf(name);
                    output.Append(inString ? Escape(json) : json ?? "null");
                    i = close;
                    continue;
                }
            }
            output.Append(c);
        }
        return output.ToString();
    }

    private bool Known(string name) => _paths.ContainsKey(name) || name.StartsWith(ReservedPrefix, StringComparison.Ordinal);

    private bool IsEscaped(int at)
    {
        var backslashes = 0;
        for (var j = at - 1; j >= 0 && _template[j] == '\\'; j--)
        {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /// <summary>A value's text for the inside of a JSON string: a string without its quotes, anything else as its JSON.</summary>
    private static string Escape(string? json)
    {
        if (json is null)
        {
            return "";
        }
        using var document = JsonDocument.Parse(json);
        var text = document.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString()! : json;
        var quoted = JsonSerializer.Serialize(text);
        return quoted[1..^1];
    }
}
