using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Platform.Ingestion.Parsing;

/// <summary>
/// A subscription payload's log messages, unescaped and packed into chunks small enough to stay off the large
/// object heap (a payload-sized array would land there and cost a gen 2 collection every few payloads).
/// </summary>
internal sealed class MessageArena
{
    private const int ChunkSize = 32 * 1024;

    private static readonly SearchValues<byte> StringSpecials = SearchValues.Create(
        [(byte)'"', (byte)'\\', 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
         0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f]);

    private readonly List<ReadOnlyMemory<byte>> _messages = [];
    private byte[] _chunk = [];
    private int _used;

    public int Count => _messages.Count;

    public ReadOnlyMemory<byte> this[int index] => _messages[index];

    /// <summary>
    /// Unescapes the JSON string whose opening quote is at <paramref name="start"/> in one pass (the reader would
    /// validate it byte by byte and then unescape it again). Declines (false) anything unusual: malformed escapes,
    /// control characters, lone surrogates, or a message too long for a chunk; the caller reads those with the reader.
    /// </summary>
    /// <param name="json">The payload.</param>
    /// <param name="start">Where the string's opening quote is.</param>
    /// <param name="end">Where the string ends: just after its closing quote.</param>
    public bool TryAddString(ReadOnlySpan<byte> json, int start, out int end)
    {
        end = 0;
        var source = json[(start + 1)..];
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var room = _chunk.Length - _used;
            if (room > 0)
            {
                var length = Unescape(source, _chunk.AsSpan(_used, room), out var consumed);
                if (length >= 0)
                {
                    end = start + 1 + consumed;
                    Commit(length);
                    return true;
                }
                if (length == Malformed)
                {
                    return false;
                }
            }
            if (attempt == 0)
            {
                NewChunk(ChunkSize);
            }
        }
        return false;
    }

    /// <summary>Copies the reader's current string, unescaped (never longer than its escaped form).</summary>
    public void Add(ref Utf8JsonReader reader)
    {
        var room = reader.ValueSpan.Length;
        if (_chunk.Length - _used < room)
        {
            NewChunk(Math.Max(ChunkSize, room));
        }
        var destination = _chunk.AsSpan(_used);
        Commit(reader.ValueIsEscaped ? reader.CopyString(destination) : Raw(reader.ValueSpan, destination));
    }

    private void Commit(int length)
    {
        _messages.Add(_chunk.AsMemory(_used, length));
        _used += length;
    }

    private void NewChunk(int size)
    {
        _chunk = GC.AllocateUninitializedArray<byte>(size);
        _used = 0;
    }

    private const int Malformed = -1;
    private const int TooLong = -2;

    /// <returns>The unescaped length, <see cref="Malformed"/> or <see cref="TooLong"/>.</returns>
    private static int Unescape(ReadOnlySpan<byte> source, Span<byte> destination, out int consumed)
    {
        consumed = 0;
        var written = 0;
        var read = 0;
        while (true)
        {
            if (Avx512Vbmi2.IsSupported && Avx512Vbmi.IsSupported)
            {
                UnescapeBlocks(source, destination, ref read, ref written);
            }
            var run = CopyRun(source[read..], destination[written..]);
            if (run < 0)
            {
                return run;
            }
            written += run;
            read += run;
            var special = source[read];
            if (special == (byte)'"')
            {
                consumed = read + 1;
                return written;
            }
            if (special != (byte)'\\' || read + 1 >= source.Length || written + 4 > destination.Length)
            {
                return special == (byte)'\\' && read + 1 < source.Length ? TooLong : Malformed;
            }
            var escaped = source[read + 1];
            byte simple = escaped switch
            {
                (byte)'"' => (byte)'"',
                (byte)'\\' => (byte)'\\',
                (byte)'/' => (byte)'/',
                (byte)'b' => (byte)'\b',
                (byte)'f' => (byte)'\f',
                (byte)'n' => (byte)'\n',
                (byte)'r' => (byte)'\r',
                (byte)'t' => (byte)'\t',
                _ => 0,
            };
            if (simple != 0)
            {
                destination[written++] = simple;
                read += 2;
                continue;
            }
            if (escaped != (byte)'u' || !TryHex(source, read + 2, out var unit))
            {
                return Malformed;
            }
            read += 6;
            int scalar = unit;
            if (char.IsHighSurrogate((char)unit))
            {
                if (read + 1 >= source.Length || source[read] != (byte)'\\' || source[read + 1] != (byte)'u'
                    || !TryHex(source, read + 2, out var low) || !char.IsLowSurrogate((char)low))
                {
                    return Malformed;
                }
                scalar = char.ConvertToUtf32((char)unit, (char)low);
                read += 6;
            }
            else if (char.IsLowSurrogate((char)unit))
            {
                return Malformed;
            }
            written += new Rune(scalar).EncodeToUtf8(destination[written..]);
        }
    }

    /// <summary>
    /// Unescapes 64 bytes at a time while the block's escapes are <c>\"</c> and <c>\/</c>, the ones a JSON record
    /// inside a JSON string is full of: the escaping backslashes are found from the block's bit masks and dropped
    /// with one compress instruction, instead of a copy per run between escapes. Stops before anything else (the
    /// closing quote, a control character, any other escape, an escape split across blocks, the end of the room)
    /// and leaves it to the byte-wise path.
    /// </summary>
    private static void UnescapeBlocks(ReadOnlySpan<byte> source, Span<byte> destination, ref int read, ref int written)
    {
        const int size = 64;
        var quote = Vector512.Create((byte)'"');
        var backslash = Vector512.Create((byte)'\\');
        var slash = Vector512.Create((byte)'/');
        var space = Vector512.Create((byte)' ');
        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(destination);
        while (read + size <= source.Length && written + size <= destination.Length)
        {
            var block = Vector512.LoadUnsafe(ref from, (nuint)read);
            var isBackslash = Vector512.Equals(block, backslash);
            var backslashes = isBackslash.ExtractMostSignificantBits();
            var quotes = Vector512.Equals(block, quote).ExtractMostSignificantBits();
            var controls = Vector512.LessThan(block, space).ExtractMostSignificantBits();
            if (backslashes == 0)
            {
                block.StoreUnsafe(ref to, (nuint)written);
                var end = quotes | controls;
                var run = end == 0 ? size : BitOperations.TrailingZeroCount(end);
                read += run;
                written += run;
                if (run < size)
                {
                    return;
                }
                continue;
            }
            // Each backslash escapes the byte after it: fine for a quote or a slash. Where the escaped byte is
            // anything else (a backslash among them) or lies in the next block, the run ends at that backslash.
            var escaped = backslashes << 1;
            var others = escaped & ~(quotes | Vector512.Equals(block, slash).ExtractMostSignificantBits());
            var limit = others == 0 ? size : BitOperations.TrailingZeroCount(others) - 1;
            if ((long)backslashes < 0)
            {
                limit = Math.Min(limit, size - 1);
            }
            // A quote or control byte that is not escaped ends it too.
            var ends = (quotes | controls) & ~escaped;
            if (ends != 0)
            {
                limit = Math.Min(limit, BitOperations.TrailingZeroCount(ends));
            }
            // Every byte but the backslashes, in order: those before the limit are the run, unescaped.
            Avx512Vbmi2.Compress(Vector512<byte>.Zero, ~isBackslash, block).StoreUnsafe(ref to, (nuint)written);
            var kept = ~backslashes & (limit == size ? ulong.MaxValue : (1UL << limit) - 1);
            written += BitOperations.PopCount(kept);
            read += limit;
            if (limit < size)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Copies the run before the next quote, backslash or control character; returns its length (or
    /// <see cref="Malformed"/> when the string never ends, <see cref="TooLong"/> when the run does not fit). Escaped
    /// log records have an escape every few bytes, too often for a search and a copy call per run to pay: while
    /// there is room, each 32 bytes are copied ahead whole and the run ends at the first special one.
    /// </summary>
    private static int CopyRun(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var run = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var quote = Vector256.Create((byte)'"');
            var backslash = Vector256.Create((byte)'\\');
            var space = Vector256.Create((byte)' ');
            while (run + Vector256<byte>.Count <= source.Length && run + Vector256<byte>.Count <= destination.Length)
            {
                var block = Vector256.Create(source.Slice(run, Vector256<byte>.Count));
                block.CopyTo(destination[run..]);
                var specials = (Vector256.Equals(block, quote) | Vector256.Equals(block, backslash) | Vector256.LessThan(block, space))
                    .ExtractMostSignificantBits();
                if (specials != 0)
                {
                    return run + BitOperations.TrailingZeroCount(specials);
                }
                run += Vector256<byte>.Count;
            }
        }
        var rest = source[run..].IndexOfAny(StringSpecials);
        if (rest < 0)
        {
            return Malformed;
        }
        if (run + rest > destination.Length)
        {
            return TooLong;
        }
        source.Slice(run, rest).CopyTo(destination[run..]);
        return run + rest;
    }

    private static bool TryHex(ReadOnlySpan<byte> source, int at, out int value)
    {
        value = 0;
        if (at + 4 > source.Length)
        {
            return false;
        }
        for (var i = at; i < at + 4; i++)
        {
            var digit = HexDigit(source[i]);
            if (digit < 0)
            {
                return false;
            }
            value = (value << 4) | digit;
        }
        return true;
    }

    private static int HexDigit(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private static int Raw(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        value.CopyTo(destination);
        return value.Length;
    }
}
