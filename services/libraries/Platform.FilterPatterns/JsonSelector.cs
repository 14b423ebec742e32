using System.Text;

namespace Platform.FilterPatterns;

/// <summary>A JSON field as patterns and metric values name it: <c>$.a.b</c>, <c>$.list[0]</c>, <c>$.objs[1].id</c>.</summary>
internal sealed class JsonSelector
{
    private readonly IReadOnlyList<object> _steps;

    private JsonSelector(string path, IReadOnlyList<object> steps)
    {
        Path = path;
        _steps = steps;
    }

    /// <summary>The selector as written, the key of its extracted value.</summary>
    public string Path { get; }

    public static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '@' or ':';

    /// <summary>Reads a selector at the cursor (which is at <c>$</c>).</summary>
    public static JsonSelector Read(PatternReader reader)
    {
        var start = reader.Position;
        reader.Expect("$", "a field ($.name)");
        var steps = new List<object>();
        var path = new StringBuilder("$");
        while (!reader.AtEnd && reader.Current is '.' or '[')
        {
            if (reader.Current == '.')
            {
                reader.Position++;
                var name = reader.ReadWhile(IsNameChar);
                if (name.Length == 0)
                {
                    throw reader.Error("expected a field name after '.'");
                }
                steps.Add(name);
                path.Append('.').Append(name);
                continue;
            }
            reader.Position++;
            var digitsAt = reader.Position;
            var digits = reader.ReadWhile(char.IsAsciiDigit);
            if (!int.TryParse(digits, out var index))
            {
                throw reader.Error("expected an array index (a number) after '['", digitsAt);
            }
            if (reader.AtEnd || reader.Current != ']')
            {
                throw reader.Error("expected ']' after the array index");
            }
            reader.Position++;
            steps.Add(index);
            path.Append('[').Append(index).Append(']');
        }
        return steps.Count == 0 ? throw reader.Error("expected a field after '$' ($.name or $[0])", start) : new(path.ToString(), steps);
    }

    /// <summary>The element the selector names in <paramref name="root"/>, if there is one.</summary>
    public bool TrySelect(JsonElement root, out JsonElement element)
    {
        element = root;
        foreach (var step in _steps)
        {
            var found = step is string name
                ? element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out element)
                : element.ValueKind == JsonValueKind.Array && (int)step < element.GetArrayLength() && (element = element[(int)step]).ValueKind != JsonValueKind.Undefined;
            if (!found)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A scalar's text as conditions compare it and TestMetricFilter shows it; null for null.</summary>
    public static string? TextOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Null => null,
        _ => element.GetRawText(),
    };
}
