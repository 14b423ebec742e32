namespace Platform.Ingestion.Parsing;

/// <summary>
/// Strings for short values that repeat from record to record (event sources and names, regions, accounts,
/// principals): a hit costs a hash and a comparison instead of a transcoding allocation. Direct-mapped and
/// lock-free: an entry is an immutable pair replaced whole, so a racing reader sees the old pair or the new one.
/// </summary>
internal static class RepeatedStrings
{
    private const int MaxLength = 96;
    private const int Slots = 4096;

    private static readonly Entry?[] Entries = new Entry?[Slots];

    /// <summary>The string of <paramref name="utf8"/> (valid UTF-8, no JSON escapes).</summary>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }
        var hash = new HashCode();
        hash.AddBytes(utf8);
        ref var slot = ref Entries[(uint)hash.ToHashCode() % Slots];
        var entry = slot;
        if (entry is not null && utf8.SequenceEqual(entry.Utf8))
        {
            return entry.Value;
        }
        var text = Encoding.UTF8.GetString(utf8);
        slot = new Entry(utf8.ToArray(), text);
        return text;
    }

    private sealed record Entry(byte[] Utf8, string Value);
}
