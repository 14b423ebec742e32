using Parquet;
using Parquet.Serialization;

namespace Platform.Archiver.Writing;

/// <summary>Archive files as Parquet: one row group, Zstandard-compressed columns.</summary>
public static class ParquetArchiveFile
{
    public const string ContentType = "application/vnd.apache.parquet";

    private static readonly ParquetOptions Options = new() { CompressionMethod = CompressionMethod.Zstd };

    /// <summary>The file's bytes: the same events in the same order give the same bytes.</summary>
    public static async Task<byte[]> WriteAsync(IReadOnlyList<ArchivedEvent> events, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        await ParquetSerializer.SerializeAsync(events, stream, Options, cancellationToken: cancellationToken);
        return stream.ToArray();
    }
}
