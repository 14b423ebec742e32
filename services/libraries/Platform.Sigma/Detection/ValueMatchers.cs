using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Platform.Sigma.Detection;

/// <summary>
/// Matches one field value. Values are compared as Sigma tooling does, as text: a JSON number is its literal
/// (<c>443</c>), a boolean is <c>true</c>/<c>false</c>; objects and arrays compare as their JSON text when the
/// matcher allows it (<c>contains</c> on an object field searches its serialised JSON).
/// </summary>
internal abstract class TextMatcher : LeafVisitor
{
    private const int StackBufferLength = 256;

    /// <summary>Whether an object or array value is matched against its JSON text.</summary>
    protected virtual bool MatchesContainers => false;

    public abstract bool MatchesText(ReadOnlySpan<char> text);

    /// <summary>A JSON number; by default compared as its literal text.</summary>
    public virtual bool MatchesNumber(JsonElement number) => MatchesUtf8(JsonMarshal.GetRawUtf8Value(number));

    public override bool Visit(JsonElement leaf)
    {
        switch (leaf.ValueKind)
        {
            case JsonValueKind.String:
                var raw = JsonMarshal.GetRawUtf8Value(leaf);
                var content = raw[1..^1];
                // Escaped strings are rare (quotes in policy documents); only they pay for a decoded string.
                return content.IndexOf((byte)'\\') >= 0 ? MatchesText(leaf.GetString()) : MatchesUtf8(content);
            case JsonValueKind.Number:
                return MatchesNumber(leaf);
            case JsonValueKind.True:
                return MatchesText("true");
            case JsonValueKind.False:
                return MatchesText("false");
            case JsonValueKind.Array:
                foreach (var item in leaf.EnumerateArray())
                {
                    if (Visit(item))
                    {
                        return true;
                    }
                }

                return MatchesContainers && MatchesUtf8(JsonMarshal.GetRawUtf8Value(leaf));
            case JsonValueKind.Object:
                return MatchesContainers && MatchesUtf8(JsonMarshal.GetRawUtf8Value(leaf));
            default:
                return false;
        }
    }

    protected bool MatchesUtf8(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length <= StackBufferLength)
        {
            Span<char> buffer = stackalloc char[StackBufferLength];
            var length = Encoding.UTF8.GetChars(utf8, buffer);
            return MatchesText(buffer[..length]);
        }

        var rented = ArrayPool<char>.Shared.Rent(utf8.Length);
        try
        {
            var length = Encoding.UTF8.GetChars(utf8, rented);
            return MatchesText(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }
}

/// <summary>Equality with a value, case-insensitive unless <c>cased</c>. A numeric rule value also equals a JSON number of the same value.</summary>
internal sealed class EqualsMatcher(string value, StringComparison comparison, double? number) : TextMatcher
{
    public string Value { get; } = value;

    public bool IsCaseSensitive => comparison == StringComparison.Ordinal;

    public bool HasNumber => number.HasValue;

    public override bool MatchesText(ReadOnlySpan<char> text) => text.Equals(Value, comparison);

    public override bool MatchesNumber(JsonElement value) =>
        (number is { } expected && value.TryGetDouble(out var actual) && actual == expected) || base.MatchesNumber(value);
}

/// <summary>Equality with any of many values (case-insensitive), by hash lookup instead of one comparison per value.</summary>
internal sealed class EqualsAnyMatcher : TextMatcher
{
    private readonly HashSet<string> _values;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public EqualsAnyMatcher(IEnumerable<string> values)
    {
        _values = new HashSet<string>(values, StringComparer.OrdinalIgnoreCase);
        _lookup = _values.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public IReadOnlyCollection<string> Values => _values;

    public override bool MatchesText(ReadOnlySpan<char> text) => _lookup.Contains(text);
}

internal sealed class StartsWithMatcher(string prefix, StringComparison comparison) : TextMatcher
{
    protected override bool MatchesContainers => true;

    public override bool MatchesText(ReadOnlySpan<char> text) => text.StartsWith(prefix, comparison);
}

internal sealed class EndsWithMatcher(string suffix, StringComparison comparison) : TextMatcher
{
    protected override bool MatchesContainers => true;

    public override bool MatchesText(ReadOnlySpan<char> text) => text.EndsWith(suffix, comparison);
}

internal sealed class ContainsMatcher(string part, StringComparison comparison) : TextMatcher
{
    protected override bool MatchesContainers => true;

    public override bool MatchesText(ReadOnlySpan<char> text) => text.Contains(part, comparison);
}

/// <summary>A general <c>*</c>/<c>?</c> pattern, matched greedily with single-star backtracking (linear in practice, no regex).</summary>
internal sealed class WildcardMatcher : TextMatcher
{
    private readonly PatternTokenKind[] _kinds;
    private readonly char[] _characters;
    private readonly string?[] _sets;
    private readonly bool _caseSensitive;

    public WildcardMatcher(WildcardPattern pattern, bool caseSensitive)
    {
        _caseSensitive = caseSensitive;
        var tokens = pattern.Tokens;
        _kinds = new PatternTokenKind[tokens.Count];
        _characters = new char[tokens.Count];
        _sets = new string?[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            _kinds[i] = tokens[i].Kind;
            _characters[i] = caseSensitive ? tokens[i].Character : char.ToUpperInvariant(tokens[i].Character);
            _sets[i] = tokens[i].Set;
        }
    }

    protected override bool MatchesContainers => true;

    public override bool MatchesText(ReadOnlySpan<char> text)
    {
        int t = 0, p = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < _kinds.Length && _kinds[p] == PatternTokenKind.AnyString)
            {
                starP = p++;
                starT = t;
            }
            else if (p < _kinds.Length && TokenMatches(p, text[t]))
            {
                t++;
                p++;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < _kinds.Length && _kinds[p] == PatternTokenKind.AnyString)
        {
            p++;
        }

        return p == _kinds.Length;
    }

    private bool TokenMatches(int index, char c) => _kinds[index] switch
    {
        PatternTokenKind.AnyCharacter => true,
        PatternTokenKind.CharacterSet => _sets[index]!.Contains(c),
        _ => _caseSensitive ? c == _characters[index] : char.ToUpperInvariant(c) == _characters[index],
    };
}

/// <summary>A regular expression; a match that exceeds the timeout counts as no match rather than failing the event.</summary>
internal sealed class RegexMatcher(Regex regex) : TextMatcher
{
    protected override bool MatchesContainers => true;

    public override bool MatchesText(ReadOnlySpan<char> text)
    {
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            SigmaRuntimeCounters.CountRegexTimeout();
            return false;
        }
    }
}

/// <summary>OR of several matchers on the same value, so the value's text is decoded once.</summary>
internal sealed class AnyTextMatcher(TextMatcher[] matchers) : TextMatcher
{
    public TextMatcher[] Matchers { get; } = matchers;

    protected override bool MatchesContainers => true;

    public override bool MatchesText(ReadOnlySpan<char> text)
    {
        foreach (var matcher in Matchers)
        {
            if (matcher.MatchesText(text))
            {
                return true;
            }
        }

        return false;
    }

    public override bool MatchesNumber(JsonElement number)
    {
        foreach (var matcher in Matchers)
        {
            if (matcher.MatchesNumber(number))
            {
                return true;
            }
        }

        return false;
    }
}

internal enum NumericComparison
{
    Lt,
    Lte,
    Gt,
    Gte,
    Eq,
}

/// <summary><c>lt</c>/<c>lte</c>/<c>gt</c>/<c>gte</c>: a JSON number, or a string holding a number.</summary>
internal sealed class NumericMatcher(NumericComparison comparison, double threshold) : TextMatcher
{
    public override bool MatchesText(ReadOnlySpan<char> text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && Compare(value);

    public override bool MatchesNumber(JsonElement number) => number.TryGetDouble(out var value) && Compare(value);

    public bool Compare(double value) => comparison switch
    {
        NumericComparison.Lt => value < threshold,
        NumericComparison.Lte => value <= threshold,
        NumericComparison.Gt => value > threshold,
        NumericComparison.Gte => value >= threshold,
        _ => value == threshold,
    };
}

internal enum TimePart
{
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// <summary>
/// Time modifiers: extracts a part (UTC) of a date field, then compares it. Strings are ISO 8601 dates;
/// numbers are Unix epoch seconds (as in VPC Flow Logs' <c>start</c>/<c>end</c>).
/// </summary>
internal sealed class TimePartMatcher(TimePart part, NumericMatcher comparison) : TextMatcher
{
    public override bool MatchesText(ReadOnlySpan<char> text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
        && comparison.Compare(Extract(time.UtcDateTime));

    public override bool MatchesNumber(JsonElement number)
    {
        if (!number.TryGetInt64(out var seconds) || seconds < -62135596800L || seconds > 253402300799L)
        {
            return false;
        }

        return comparison.Compare(Extract(DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime));
    }

    private double Extract(DateTime time) => part switch
    {
        TimePart.Minute => time.Minute,
        TimePart.Hour => time.Hour,
        TimePart.Day => time.Day,
        TimePart.Week => ISOWeek.GetWeekOfYear(time),
        TimePart.Month => time.Month,
        _ => time.Year,
    };
}

/// <summary>
/// <c>cidr</c>: the value is an IPv4 or IPv6 address inside one of the networks. Unparseable values do not match.
/// IPv4 with zero-padded octets (<c>010.1.2.3</c>) is read as decimal, and IPv4-mapped IPv6 addresses match IPv4 networks.
/// </summary>
internal sealed class CidrMatcher(IReadOnlyList<CidrNetwork> networks) : TextMatcher
{
    public override bool MatchesText(ReadOnlySpan<char> text)
    {
        Span<byte> address = stackalloc byte[16];
        if (!IpAddressText.TryParse(text.Trim(), address, out var length))
        {
            return false;
        }

        foreach (var network in networks)
        {
            if (network.Contains(address[..length]))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A network: address bytes (4 or 16) and prefix length.</summary>
internal sealed record CidrNetwork(byte[] Address, int PrefixLength)
{
    public static bool TryParse(string text, out CidrNetwork? network)
    {
        network = null;
        var slash = text.IndexOf('/');
        Span<byte> address = stackalloc byte[16];
        if (!IpAddressText.TryParse((slash < 0 ? text : text[..slash]).AsSpan().Trim(), address, out var length))
        {
            return false;
        }

        var prefix = length * 8;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > length * 8))
        {
            return false;
        }

        network = new CidrNetwork(address[..length].ToArray(), prefix);
        return true;
    }

    public bool Contains(ReadOnlySpan<byte> address)
    {
        if (address.Length != Address.Length)
        {
            return false;
        }

        var fullBytes = PrefixLength / 8;
        if (!address[..fullBytes].SequenceEqual(Address.AsSpan(0, fullBytes)))
        {
            return false;
        }

        var remainingBits = PrefixLength % 8;
        if (remainingBits == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - remainingBits));
        return (address[fullBytes] & mask) == (Address[fullBytes] & mask);
    }
}

internal static class IpAddressText
{
    /// <summary>Parses into <paramref name="destination"/> (16 bytes); IPv4 and IPv4-mapped IPv6 give 4 bytes.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, Span<byte> destination, out int length)
    {
        length = 0;
        if (text.Contains(':'))
        {
            if (!IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            if (parsed.IsIPv4MappedToIPv6)
            {
                parsed = parsed.MapToIPv4();
            }

            return parsed.TryWriteBytes(destination, out length);
        }

        // Strict dotted decimal: IPAddress.TryParse would read "010" as octal and accept shorthand forms like "10.1".
        var part = 0;
        var value = 0;
        var digits = 0;
        foreach (var c in text)
        {
            if (c is >= '0' and <= '9')
            {
                value = (value * 10) + (c - '0');
                if (++digits > 3 || value > 255)
                {
                    return false;
                }
            }
            else if (c == '.' && digits > 0 && part < 3)
            {
                destination[part++] = (byte)value;
                value = 0;
                digits = 0;
            }
            else
            {
                return false;
            }
        }

        if (part != 3 || digits == 0)
        {
            return false;
        }

        destination[3] = (byte)value;
        length = 4;
        return true;
    }
}
