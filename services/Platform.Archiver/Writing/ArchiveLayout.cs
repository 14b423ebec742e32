using System.Globalization;

namespace Platform.Archiver.Writing;

/// <summary>A partition of the archive: one source type, account, region and hour.</summary>
public sealed record ArchivePartition(string SourceType, string Account, string Region, DateTimeOffset Hour);

/// <summary>
/// Where things are in the bucket, in one place: the Hive layout Athena and Trino read
/// (<c>&lt;prefix&gt;/&lt;source type&gt;/account=&lt;id&gt;/region=&lt;region&gt;/dt=&lt;yyyy-mm-dd&gt;/hour=&lt;hh&gt;/part-&lt;first&gt;-&lt;last&gt;.parquet</c>)
/// and the digests beside it.
/// </summary>
public sealed class ArchiveLayout(ArchiverOptions options)
{
    /// <summary>A partition value for an unknown account or region.</summary>
    public const string Unknown = "unknown";

    public string Prefix { get; } = options.Prefix.Trim('/');

    /// <summary>Where the digests are: not under a source type, so no table's location includes them.</summary>
    public string DigestPrefix => Join("_digests/");

    /// <summary>Where a source type's files are (a table's location).</summary>
    public string SourcePrefix(string sourceType) => Join(sourceType + "/");

    /// <summary>
    /// The file holding the partition's buffered events <paramref name="firstSeq"/> to <paramref name="lastSeq"/>: the same
    /// events always get the same name, so writing a file again after a crash replaces it with itself.
    /// </summary>
    public string FileKey(ArchivePartition partition, long firstSeq, long lastSeq) =>
        Join(string.Create(CultureInfo.InvariantCulture,
            $"{partition.SourceType}/account={partition.Account}/region={partition.Region}/dt={partition.Hour:yyyy-MM-dd}/hour={partition.Hour:HH}/part-{firstSeq:D12}-{lastSeq:D12}.parquet"));

    public string DigestKey(long seq, DateTimeOffset end) =>
        Join(string.Create(CultureInfo.InvariantCulture, $"_digests/{seq:D10}-{end.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.json"));

    /// <summary>The sequence number of a digest key, or null when the key is not one.</summary>
    public static long? DigestSeq(string key)
    {
        var name = key[(key.LastIndexOf('/') + 1)..];
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && name.EndsWith(".json", StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : null;
    }

    /// <summary>A partition value safe in a path: letters, digits, '-' and '_' kept, anything else '_'.</summary>
    public static string PartitionValue(string? value) =>
        string.IsNullOrEmpty(value)
            ? Unknown
            : string.Create(Math.Min(value.Length, 128), value, (span, source) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    var c = source[i];
                    span[i] = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_';
                }
            });

    private string Join(string path) => Prefix.Length == 0 ? path : $"{Prefix}/{path}";
}
