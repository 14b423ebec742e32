using Microsoft.Extensions.Primitives;

namespace Platform.Http;

/// <summary>
/// An entity tag as RFC 9110 (section 8.8.3) defines it: <c>[W/]"opaque"</c>. A resource's version is issued as a
/// strong tag, the version in quotes, so that one parser and one comparison serve every API.
/// </summary>
public readonly record struct EntityTag(string Opaque, bool IsWeak)
{
    /// <summary>The strong tag of a resource version.</summary>
    public static EntityTag Of(long version) => new(version.ToString(CultureInfo.InvariantCulture), IsWeak: false);

    /// <summary>Strong comparison (If-Match): both strong and the same opaque tag, so a weak tag never matches.</summary>
    public bool StrongMatches(EntityTag other) => !IsWeak && !other.IsWeak && Opaque == other.Opaque;

    /// <summary>Weak comparison (If-None-Match): the same opaque tag, weak or not.</summary>
    public bool WeakMatches(EntityTag other) => Opaque == other.Opaque;

    public override string ToString() => $"{(IsWeak ? "W/" : "")}\"{Opaque}\"";

    /// <summary>
    /// Reads an <c>If-Match</c> or <c>If-None-Match</c> value: <c>*</c>, or a comma-separated list of entity tags
    /// (several header lines are one list).
    /// </summary>
    /// <returns>Null when the header is absent; false in <paramref name="valid"/> when it is neither form.</returns>
    public static TagCondition? ParseCondition(StringValues header, out bool valid)
    {
        valid = true;
        var text = string.Join(',', header.Where(v => v is not null)).Trim(' ', '\t');
        if (text.Length == 0)
        {
            return null;
        }
        if (text == "*")
        {
            return TagCondition.AnyTag;
        }
        var tags = new List<EntityTag>();
        var at = 0;
        while (at < text.Length)
        {
            at = Skip(text, at, " \t,");
            if (at == text.Length)
            {
                break;
            }
            if (!TryReadTag(text, ref at, out var tag))
            {
                valid = false;
                return null;
            }
            tags.Add(tag);
            at = Skip(text, at, " \t");
            if (at < text.Length && text[at] != ',')
            {
                valid = false;
                return null;
            }
        }
        valid = tags.Count > 0;
        return valid ? new TagCondition(false, tags) : null;
    }

    private static bool TryReadTag(string text, ref int at, out EntityTag tag)
    {
        tag = default;
        var weak = string.CompareOrdinal(text, at, "W/", 0, 2) == 0;
        var open = weak ? at + 2 : at;
        if (open >= text.Length || text[open] != '"')
        {
            return false;
        }
        var close = open + 1;
        while (close < text.Length && IsEtagChar(text[close]))
        {
            close++;
        }
        if (close >= text.Length || text[close] != '"')
        {
            return false;
        }
        tag = new EntityTag(text[(open + 1)..close], weak);
        at = close + 1;
        return true;
    }

    /// <summary>etagc = %x21 / %x23-7E / obs-text: visible characters except the double quote.</summary>
    private static bool IsEtagChar(char c) => c == '!' || (c >= '#' && c <= '~') || (c >= '\u0080' && c <= '\u00FF');

    private static int Skip(string text, int at, string characters)
    {
        while (at < text.Length && characters.Contains(text[at], StringComparison.Ordinal))
        {
            at++;
        }
        return at;
    }
}

/// <summary>One conditional header: <c>*</c> (any current version) or the listed tags.</summary>
public sealed record TagCondition(bool Any, IReadOnlyList<EntityTag> Tags)
{
    public static readonly TagCondition AnyTag = new(true, []);

    public bool StrongMatches(EntityTag current) => Any || Tags.Any(t => t.StrongMatches(current));

    public bool WeakMatches(EntityTag current) => Any || Tags.Any(t => t.WeakMatches(current));

    public override string ToString() => Any ? "*" : string.Join(", ", Tags);
}
