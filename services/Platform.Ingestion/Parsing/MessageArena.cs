using System.Text.Json;

namespace Platform.Ingestion.Parsing;

/// <summary>
/// Unescaped log messages, packed into chunks small enough to stay off the large object heap (a payload-sized
/// array would land there and cost a gen 2 collection every few payloads).
/// </summary>
internal sealed class MessageArena
{
    private const int ChunkSize = 32 * 1024;

    private byte[] _chunk = [];
    private int _used;

    /// <summary>Copies the reader's current string, unescaped (never longer than its escaped form).</summary>
    public ReadOnlyMemory<byte> Copy(ref Utf8JsonReader reader)
    {
        var room = reader.ValueSpan.Length;
        if (_chunk.Length - _used < room)
        {
            _chunk = new byte[Math.Max(ChunkSize, room)];
            _used = 0;
        }
        var length = reader.ValueIsEscaped ? reader.CopyString(_chunk.AsSpan(_used)) : Raw(reader.ValueSpan, _chunk.AsSpan(_used));
        var copied = _chunk.AsMemory(_used, length);
        _used += length;
        return copied;
    }

    private static int Raw(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        value.CopyTo(destination);
        return value.Length;
    }
}
