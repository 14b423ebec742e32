namespace Platform.Ingestion.Parsing;

/// <summary>
/// A payload's decompressed UTF-8 bytes. When it was compressed they live in a pooled buffer, returned on
/// dispose: copy anything that must outlive it.
/// </summary>
public readonly struct DecodedPayload(ReadOnlyMemory<byte> bytes, byte[]? rented, PayloadCompression compression) : IDisposable
{
    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    public ReadOnlySpan<byte> Span => Bytes.Span;

    public PayloadCompression Compression { get; } = compression;

    public void Dispose()
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
