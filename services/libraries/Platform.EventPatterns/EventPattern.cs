namespace Platform.EventPatterns;

/// <summary>
/// An Amazon EventBridge event pattern, parsed once and matched against many events. Every field the pattern names
/// must match (a field whose value is an array matches when any element does; objects inside an array match within
/// one element); a field matches when any of its values does; <c>$or</c> holds alternatives of fields.
/// </summary>
public sealed class EventPattern
{
    /// <summary>EventBridge's largest event pattern (its quota can be raised from 2048 to this many characters).</summary>
    public const int MaxLength = 4096;

    /// <summary>Objects in a pattern nest at most this deep (an event is matched to the same depth).</summary>
    public const int MaxDepth = 32;

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = MaxDepth + 2 };

    private readonly ObjectMatcher _root;

    private EventPattern(ObjectMatcher root, string json)
    {
        _root = root;
        Json = json;
        Sources = root.ExactStringsOf("source");
    }

    /// <summary>The pattern's JSON as given.</summary>
    public string Json { get; }

    /// <summary>
    /// The event sources the pattern accepts when it fixes <c>source</c> to exact values outside any <c>$or</c>
    /// (an event of any other source cannot match); null when it does not, so rules can be indexed by source.
    /// </summary>
    public IReadOnlyList<string>? Sources { get; }

    /// <summary>Parses a pattern given as JSON text; <paramref name="error"/> says where and why when EventBridge would refuse it.</summary>
    public static EventPattern? TryParse(string? json, out EventPatternError? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            error = new EventPatternError("$", "is empty: an event pattern is a JSON object");
            return null;
        }
        if (json.Length > MaxLength)
        {
            error = new EventPatternError("$", $"the pattern is {json.Length} characters long: at most {MaxLength}");
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, ParseOptions);
        }
        catch (JsonException ex)
        {
            error = new EventPatternError("$", ex.Message.Contains("maximum configured depth", StringComparison.Ordinal)
                ? $"nested more than {MaxDepth} levels deep"
                : $"is not valid JSON ({ex.Message.Split(" Path:", 2)[0]})");
            return null;
        }
        using (document)
        {
            try
            {
                return new EventPattern(PatternCompiler.Compile(document.RootElement), json);
            }
            catch (EventPatternException ex)
            {
                error = ex.Error;
                return null;
            }
        }
    }

    /// <summary>Parses a pattern given either as JSON text (a string, as PutRule and TestEventPattern take it) or as the object itself.</summary>
    public static EventPattern? TryParse(JsonElement pattern, out EventPatternError? error) =>
        pattern.ValueKind == JsonValueKind.String
            ? TryParse(pattern.GetString(), out error)
            : TryParse(pattern.ValueKind == JsonValueKind.Undefined ? null : pattern.GetRawText(), out error);

    /// <summary>
    /// Whether the pattern names the field at <paramref name="path"/> (<c>detail</c>, <c>disposition</c>), anywhere
    /// (inside <c>$or</c> too): a pattern that names a field asks for the events that field tells apart.
    /// </summary>
    public bool Names(params IReadOnlyList<string> path) => path.Count > 0 && _root.Names(path, 0);

    /// <summary>Whether <paramref name="event"/> (a JSON object) matches.</summary>
    public bool Matches(JsonElement @event) => @event.ValueKind == JsonValueKind.Object && _root.Matches(@event, 0);
}
