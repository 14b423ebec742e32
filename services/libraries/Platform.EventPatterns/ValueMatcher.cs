using System.Net;
using System.Net.Sockets;

namespace Platform.EventPatterns;

/// <summary>One value of a pattern field (a literal or an operator) tested against one scalar of the event.</summary>
internal abstract class ValueMatcher
{
    public abstract bool Matches(JsonElement value);

    protected static string? StringOf(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary><c>"running"</c>: the same string, case-sensitively.</summary>
internal sealed class ExactString(string value) : ValueMatcher
{
    public string Value { get; } = value;

    public override bool Matches(JsonElement value) => value.ValueKind == JsonValueKind.String && value.ValueEquals(Value);
}

/// <summary><c>301.8</c>: a number of the same value (<c>3.018e2</c> too).</summary>
internal sealed class ExactNumber(double number) : ValueMatcher
{
    public override bool Matches(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var actual) && actual == number;
}

/// <summary><c>true</c>, <c>false</c>, <c>null</c>.</summary>
internal sealed class ExactLiteral(JsonValueKind kind) : ValueMatcher
{
    public override bool Matches(JsonElement value) => value.ValueKind == kind;
}

/// <summary><c>{"prefix": "us-"}</c>, optionally <c>{"prefix": {"equals-ignore-case": "EventB"}}</c>.</summary>
internal sealed class Prefix(string prefix, StringComparison comparison) : ValueMatcher
{
    public override bool Matches(JsonElement value) => StringOf(value)?.StartsWith(prefix, comparison) == true;
}

/// <summary><c>{"suffix": ".png"}</c>, optionally <c>{"suffix": {"equals-ignore-case": ".PNG"}}</c>.</summary>
internal sealed class Suffix(string suffix, StringComparison comparison) : ValueMatcher
{
    public override bool Matches(JsonElement value) => StringOf(value)?.EndsWith(suffix, comparison) == true;
}

/// <summary><c>{"equals-ignore-case": "alice"}</c>.</summary>
internal sealed class EqualsIgnoreCase(string expected) : ValueMatcher
{
    public override bool Matches(JsonElement value) => string.Equals(StringOf(value), expected, StringComparison.OrdinalIgnoreCase);
}

/// <summary><c>{"wildcard": "dir/*.png"}</c>: a whole string, in time linear in its length.</summary>
internal sealed class WildcardMatcher(Wildcard wildcard) : ValueMatcher
{
    public override bool Matches(JsonElement value) => StringOf(value) is { } text && wildcard.IsMatch(text);
}

/// <summary><c>{"anything-but": ...}</c>: any value (of any type) that none of the listed values or operators matches.</summary>
internal sealed class AnythingBut(IReadOnlyList<ValueMatcher> excluded) : ValueMatcher
{
    public override bool Matches(JsonElement value)
    {
        foreach (var matcher in excluded)
        {
            if (matcher.Matches(value))
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary><c>{"numeric": [">", 0, "&lt;=", 5]}</c>: a number within the bounds (each open or closed, or absent).</summary>
internal sealed class NumericRange(double? lower, bool lowerOpen, double? upper, bool upperOpen) : ValueMatcher
{
    public override bool Matches(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
        {
            return false;
        }
        if (lower is { } low && (lowerOpen ? number <= low : number < low))
        {
            return false;
        }
        return upper is not { } high || (upperOpen ? number < high : number <= high);
    }
}

/// <summary><c>{"exists": true}</c> matches any leaf value; <c>{"exists": false}</c> only a field that is absent (see <see cref="FieldMatcher"/>).</summary>
internal sealed class Exists(bool present) : ValueMatcher
{
    public bool Present { get; } = present;

    public override bool Matches(JsonElement value) => Present;
}

/// <summary><c>{"cidr": "10.0.0.0/24"}</c> (or IPv6): an IP address string within the block.</summary>
internal sealed class Cidr : ValueMatcher
{
    private readonly byte[] _network;
    private readonly int _prefixLength;

    private Cidr(byte[] network, int prefixLength)
    {
        _network = network;
        _prefixLength = prefixLength;
    }

    /// <summary>The block <paramref name="text"/> names, or null with why not.</summary>
    public static Cidr? TryParse(string text, out string? reason)
    {
        reason = null;
        var slash = text.IndexOf('/');
        if (slash < 0 || TryParseAddress(text.AsSpan(0, slash)) is not { } address
            || !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out var bits))
        {
            reason = $"'{text}' is not a CIDR block: an IPv4 or IPv6 address, '/', and a prefix length";
            return null;
        }
        var bytes = address.GetAddressBytes();
        if (bits > bytes.Length * 8)
        {
            reason = $"'{text}' has a prefix length above {bytes.Length * 8}";
            return null;
        }
        return new Cidr(bytes, bits);
    }

    public override bool Matches(JsonElement value)
    {
        if (StringOf(value) is not { } text || TryParseAddress(text) is not { } address)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written) || written != _network.Length)
        {
            return false;
        }
        var whole = _prefixLength / 8;
        if (!bytes[..whole].SequenceEqual(_network.AsSpan(0, whole)))
        {
            return false;
        }
        var rest = _prefixLength % 8;
        var mask = (byte)(0xFF << (8 - rest));
        return rest == 0 || (bytes[whole] & mask) == (_network[whole] & mask);
    }

    /// <summary>Dotted-quad IPv4 or IPv6 only: not the shorthand forms (<c>10.1</c>, <c>167772161</c>) the parser also takes.</summary>
    private static IPAddress? TryParseAddress(ReadOnlySpan<char> text)
    {
        if (!IPAddress.TryParse(text, out var address))
        {
            return null;
        }
        return address.AddressFamily == AddressFamily.InterNetworkV6 || text.Count('.') == 3 ? address : null;
    }
}
