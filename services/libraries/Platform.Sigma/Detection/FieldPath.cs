namespace Platform.Sigma.Detection;

/// <summary>Receives the values found at a field path.</summary>
internal abstract class LeafVisitor
{
    /// <summary>Returns true to stop the search: the field condition is satisfied.</summary>
    public abstract bool Visit(JsonElement leaf);
}

/// <summary>
/// A dotted field name resolved against a JSON document. Each segment is looked up as a nested property;
/// when a segment lands on an array, every element is searched (so <c>items.cidrIp</c> reaches into lists).
/// A name that literally contains dots (<c>{"a.b": 1}</c>) is found too, by also trying the joined segments as one key.
/// </summary>
internal sealed class FieldPath
{
    /// <summary>
    /// Most dot-separated segments in a name. The keys of every run of segments are precomputed, quadratic in the
    /// count, so an unbounded name of a few hundred kilobytes would take gigabytes.
    /// </summary>
    public const int MaxSegments = 64;

    // _keys[start][length - 1] is the UTF-8 of segments start..start+length-1 joined with '.', precomputed so the
    // hot path neither splits strings nor transcodes property names.
    private readonly byte[][][] _keys;

    public FieldPath(string name)
    {
        Name = name;
        var segments = name.Split('.');
        _keys = new byte[segments.Length][][];
        for (var start = 0; start < segments.Length; start++)
        {
            _keys[start] = new byte[segments.Length - start][];
            for (var length = 1; start + length <= segments.Length; length++)
            {
                _keys[start][length - 1] = Encoding.UTF8.GetBytes(string.Join('.', segments, start, length));
            }
        }
    }

    public string Name { get; }

    /// <summary>True when the name is a single top-level property (no dots).</summary>
    public bool IsTopLevel => _keys.Length == 1;

    public ReadOnlySpan<byte> TopLevelUtf8 => _keys[0][0];

    /// <summary>Calls <paramref name="visitor"/> on each value found at this path until it returns true.</summary>
    public bool Any(JsonElement document, LeafVisitor visitor) => Visit(document, 0, visitor);

    private bool Visit(JsonElement current, int index, LeafVisitor visitor)
    {
        if (index == _keys.Length)
        {
            return visitor.Visit(current);
        }

        switch (current.ValueKind)
        {
            case JsonValueKind.Object:
                var candidates = _keys[index];
                for (var length = 1; length <= candidates.Length; length++)
                {
                    if (current.TryGetProperty(candidates[length - 1], out var child) && Visit(child, index + length, visitor))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Array:
                foreach (var item in current.EnumerateArray())
                {
                    if (Visit(item, index, visitor))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }
}

/// <summary>Stops at the first value found, whatever it is (null included).</summary>
internal sealed class PresenceVisitor : LeafVisitor
{
    public static readonly PresenceVisitor Instance = new();

    public override bool Visit(JsonElement leaf) => true;
}

/// <summary>Stops at the first value that is not JSON null.</summary>
internal sealed class NonNullVisitor : LeafVisitor
{
    public static readonly NonNullVisitor Instance = new();

    public override bool Visit(JsonElement leaf) => leaf.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);
}
