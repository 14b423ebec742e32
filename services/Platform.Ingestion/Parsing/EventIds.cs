namespace Platform.Ingestion.Parsing;

/// <summary>Ids for events that carry none of their own: the same content at the same place gets the same id.</summary>
public static class EventIds
{
    public const string ContentHashPrefix = "sha256:";

    public static string FromContent(string scope, ReadOnlySpan<byte> content, long position)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var scopeBytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(scope.Length) + 9);
        try
        {
            var written = Encoding.UTF8.GetBytes(scope, scopeBytes);
            // A separator and the position keep ("ab", 1) and ("a", "b1") apart.
            scopeBytes[written++] = 0;
            BinaryPrimitives.WriteInt64BigEndian(scopeBytes.AsSpan(written, 8), position);
            hash.AppendData(scopeBytes, 0, written + 8);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scopeBytes);
        }
        hash.AppendData(content);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        hash.GetHashAndReset(digest);
        return ContentHashPrefix + Convert.ToHexStringLower(digest[..16]);
    }
}
