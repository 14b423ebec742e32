using System.IO.Compression;

namespace Platform.Ingestion.Parsing;

/// <summary>
/// Turns a payload into UTF-8 text: gzip and zlib are recognised by their magic bytes (never by a header a
/// sender may get wrong), decompression stops at a hard cap (decompression bombs), truncated streams are
/// caught by their trailers (.NET's inflater silently stops at the end of a truncated input), and the result
/// must be valid UTF-8.
/// </summary>
public static class PayloadDecoder
{
    public const int DefaultMaxDecodedBytes = 64 * 1024 * 1024;

    public static PayloadCompression Detect(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 2 && data[0] == 0x1f && data[1] == 0x8b)
        {
            return PayloadCompression.Gzip;
        }
        // RFC 1950: deflate method (CM = 8) with a window of at most 32 KiB, no preset dictionary, and a header
        // checksum divisible by 31.
        if (data.Length >= 2 && (data[0] & 0x0f) == 8 && (data[0] >> 4) <= 7 && (data[1] & 0x20) == 0
            && ((data[0] << 8) | data[1]) % 31 == 0)
        {
            return PayloadCompression.Zlib;
        }
        return PayloadCompression.None;
    }

    /// <summary>
    /// Decodes a whole file into an array of its own (its events keep their records' bytes, so not the pooled buffer).
    /// </summary>
    /// <returns>Null on success, otherwise why the payload cannot be decoded.</returns>
    public static string? TryDecodeToArray(ReadOnlyMemory<byte> data, int maxDecodedBytes, out byte[] bytes)
    {
        bytes = [];
        var error = TryDecode(data, maxDecodedBytes, out var decoded);
        if (error is not null)
        {
            return error;
        }
        using (decoded)
        {
            bytes = decoded.Bytes.ToArray();
        }
        return null;
    }

    /// <returns>Null on success, otherwise why the payload cannot be decoded.</returns>
    public static string? TryDecode(ReadOnlyMemory<byte> data, int maxDecodedBytes, out DecodedPayload decoded)
    {
        decoded = default;
        if (data.IsEmpty)
        {
            return "the payload is empty";
        }

        var compression = Detect(data.Span);
        if (compression == PayloadCompression.None)
        {
            if (data.Length > maxDecodedBytes)
            {
                return $"the payload is larger than {maxDecodedBytes} bytes";
            }
            if (!Utf8.IsValid(data.Span))
            {
                return "the payload is not valid UTF-8";
            }
            decoded = new DecodedPayload(data, null, compression);
            return null;
        }

        var error = Decompress(data, compression, maxDecodedBytes, out var buffer, out var length);
        if (error is not null)
        {
            return error;
        }
        var bytes = buffer.AsMemory(0, length);
        if (!Utf8.IsValid(bytes.Span))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return $"the {Name(compression)} payload does not decompress to valid UTF-8";
        }
        decoded = new DecodedPayload(bytes, buffer, compression);
        return null;
    }

    private static string? Decompress(ReadOnlyMemory<byte> data, PayloadCompression compression, int maxDecodedBytes, out byte[] buffer, out int length)
    {
        // A gzip trailer gives the size (a hint only: a sender may lie, and the loop below still grows and caps);
        // zlib logs expand about ten times. One byte more than expected, so reaching the end needs no growing.
        var expected = compression == PayloadCompression.Gzip && data.Length >= 18
            ? BinaryPrimitives.ReadUInt32LittleEndian(data.Span[^4..]) + 1L
            : data.Length * 10L;
        buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(expected, 4096, maxDecodedBytes + 1L));
        length = 0;
        try
        {
            using var input = AsStream(data);
            using Stream inflater = compression == PayloadCompression.Gzip
                ? new GZipStream(input, CompressionMode.Decompress)
                : new ZLibStream(input, CompressionMode.Decompress);
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > maxDecodedBytes)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return $"the payload decompresses to more than {maxDecodedBytes} bytes";
                    }
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, maxDecodedBytes + 1L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = inflater.Read(buffer, length, buffer.Length - length);
                if (read == 0)
                {
                    break;
                }
                length += read;
                if (length > maxDecodedBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return $"the payload decompresses to more than {maxDecodedBytes} bytes";
                }
            }
        }
        catch (InvalidDataException ex)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return $"the {Name(compression)} stream is corrupt ({ex.Message})";
        }

        var complete = compression == PayloadCompression.Gzip
            ? GzipTrailerMatches(data.Span, length)
            : Adler32TrailerMatches(data.Span, buffer.AsSpan(0, length));
        if (!complete)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return $"the {Name(compression)} stream is truncated (its trailer does not match the data)";
        }
        return null;
    }

    private static Stream AsStream(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);

    /// <summary>A gzip member ends with the uncompressed size modulo 2^32 (RFC 1952).</summary>
    private static bool GzipTrailerMatches(ReadOnlySpan<byte> data, int decodedLength) =>
        data.Length >= 18 && BinaryPrimitives.ReadUInt32LittleEndian(data[^4..]) == (uint)decodedLength;

    /// <summary>A zlib stream ends with the Adler-32 of the uncompressed data, big-endian (RFC 1950).</summary>
    private static bool Adler32TrailerMatches(ReadOnlySpan<byte> data, ReadOnlySpan<byte> decoded)
    {
        if (data.Length < 6)
        {
            return false;
        }
        const uint modulus = 65521;
        uint a = 1, b = 0;
        while (!decoded.IsEmpty)
        {
            // 5552 is the largest run for which b cannot overflow 32 bits before the modulo.
            var run = Math.Min(decoded.Length, 5552);
            foreach (var value in decoded[..run])
            {
                a += value;
                b += a;
            }
            a %= modulus;
            b %= modulus;
            decoded = decoded[run..];
        }
        return BinaryPrimitives.ReadUInt32BigEndian(data[^4..]) == ((b << 16) | a);
    }

    private static string Name(PayloadCompression compression) => compression == PayloadCompression.Gzip ? "gzip" : "zlib";
}
