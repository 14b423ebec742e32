using System.ComponentModel.DataAnnotations;
using Platform.Archive;

namespace Platform.Archiver;

/// <summary>The archiver's settings, under <c>Platform:Archiver</c>: where the archive is (<see cref="ArchiveLocation"/>) and how it is written.</summary>
public sealed class ArchiverOptions : ArchiveLocation
{
    /// <summary>
    /// A file is closed once its events' original records reach this size (Parquet compresses them several times
    /// over, so the object is a fraction of it): tens of MB is what Athena and Trino read best.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long TargetFileBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// A file's events are written in row groups of at most this size of records: what the writer holds in memory at
    /// once (as text, twice the bytes, and the columns being compressed), whatever the file's size. Athena reads row
    /// groups of this size well.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long RowGroupBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>How long after an hour ends its open files are closed (late events of that hour go to a file of their own).</summary>
    [Interval]
    public TimeSpan CloseDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the writer looks for files to close.</summary>
    [Interval]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a digest of the files written since the last one is signed and written.</summary>
    [Interval]
    public TimeSpan DigestInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long the ids of buffered batches are kept (and at least until every event of theirs is archived), so a
    /// redelivered batch is recognised and not archived twice. Longer than any redelivery or Kinesis re-read.
    /// </summary>
    [Interval]
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The RSA private key (PEM) digests are signed with. Empty: a key is generated on first start and kept in the
    /// archiver's database, which suits a laptop but not a deployment (set this from a secret store there).
    /// </summary>
    public string? SigningKeyPem { get; set; }
}
