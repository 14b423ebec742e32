namespace Platform.EventPatterns;

/// <summary>
/// The JSONPath subset EventBridge targets use to pick part of an event (<c>InputPath</c>, the values of an input
/// transformer's <c>InputPathsMap</c>): <c>$</c>, then <c>.name</c>, <c>['name']</c> and <c>[index]</c> steps.
/// </summary>
public sealed class EventPath
{
    /// <summary>EventBridge's limit on an InputPath.</summary>
    public const int MaxLength = 256;

    private readonly IReadOnlyList<object> _steps;

    private EventPath(string text, IReadOnlyList<object> steps)
    {
        Text = text;
        _steps = steps;
    }

    public string Text { get; }

    /// <summary>The path <paramref name="text"/> names, or null with why not.</summary>
    public static EventPath? TryParse(string? text, out string? reason)
    {
        reason = null;
        if (string.IsNullOrEmpty(text) || text[0] != '$')
        {
            reason = "must be a JSONPath starting with '$' (for example $.detail)";
            return null;
        }
        if (text.Length > MaxLength)
        {
            reason = $"is {text.Length} characters long: at most {MaxLength}";
            return null;
        }
        var steps = new List<object>();
        var i = 1;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var end = i + 1;
                while (end < text.Length && text[end] is not ('.' or '['))
                {
                    end++;
                }
                if (end == i + 1)
                {
                    reason = $"has an empty name at character {i + 2}";
                    return null;
                }
                steps.Add(text[(i + 1)..end]);
                i = end;
            }
            else if (text[i] == '[')
            {
                var close = text.IndexOf(']', i);
                var inner = close < 0 ? "" : text[(i + 1)..close];
                if (inner.Length >= 2 && inner[0] == '\'' && inner[^1] == '\'')
                {
                    steps.Add(inner[1..^1]);
                }
                else if (int.TryParse(inner, System.Globalization.NumberStyles.None, null, out var index))
                {
                    steps.Add(index);
                }
                else
                {
                    reason = $"has a bracket at character {i + 1} that holds neither an index nor a 'quoted name'";
                    return null;
                }
                i = close + 1;
            }
            else
            {
                reason = $"expected '.' or '[' at character {i + 1}";
                return null;
            }
        }
        return new EventPath(text, steps);
    }

    /// <summary>The value at the path, or null when the event has none there.</summary>
    public JsonElement? Select(JsonElement root)
    {
        var current = root;
        foreach (var step in _steps)
        {
            if (step is string name)
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
                {
                    return null;
                }
            }
            else if (current.ValueKind != JsonValueKind.Array || (int)step >= current.GetArrayLength())
            {
                return null;
            }
            else
            {
                current = current[(int)step];
            }
        }
        return current;
    }
}
