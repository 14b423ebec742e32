namespace Platform.Sigma;

/// <summary>
/// A necessary condition of a <see cref="SigmaRuleSet"/>'s matches, checked on an event's raw UTF-8 JSON before it is
/// parsed, so that a scan of many stored events (a retro-hunt) parses only the few that could match. When every rule
/// of the set is indexed (it requires its <c>eventName</c> or <c>eventSource</c> to be one of a few values), the set
/// evaluates a rule only for an event whose field is a JSON string equal to one of them, case-insensitively: the
/// event's JSON then holds <c>"value"</c>. Sound only where the raw bytes are the string's characters, so JSON with an
/// escape or a non-ASCII byte, and values that are not ASCII, always pass.
/// </summary>
public sealed class SigmaPrefilter
{
    /// <summary>Documents up to this many bytes are widened on the stack.</summary>
    private const int StackChars = 2048;

    /// <summary>Each value in quotes, as a JSON string holds it; null when a value is not ASCII (every event passes).</summary>
    private readonly SearchValues<string>? _quoted;

    private SigmaPrefilter(SearchValues<string>? quoted) => _quoted = quoted;

    internal static SigmaPrefilter Of(IReadOnlyCollection<string> values) =>
        new(values.All(v => Ascii.IsValid(v)) ? SearchValues.Create([.. values.Select(v => $"\"{v}\"")], StringComparison.OrdinalIgnoreCase) : null);

    /// <summary>False only when no rule of the set can match the event whose JSON this is.</summary>
    public bool MayMatch(ReadOnlySpan<byte> utf8Json)
    {
        if (_quoted is null || !Ascii.IsValid(utf8Json) || utf8Json.Contains((byte)'\\'))
        {
            return true;
        }

        // ASCII without escapes: one character per byte, each string's characters as they are.
        char[]? rented = null;
        Span<char> chars = utf8Json.Length <= StackChars ? stackalloc char[StackChars] : (rented = ArrayPool<char>.Shared.Rent(utf8Json.Length));
        try
        {
            Ascii.ToUtf16(utf8Json, chars, out var length);
            return ((ReadOnlySpan<char>)chars[..length]).ContainsAny(_quoted);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
