using System.ComponentModel.DataAnnotations;

namespace Platform.Archive;

/// <summary>
/// Where the archive is, under <c>Platform:Archiver</c>: the archiver binds it (with its own settings) to write there,
/// ingestion binds it to query there, so one configuration serves both. <see cref="S3Settings.Region"/> is the bucket's.
/// </summary>
public class ArchiveLocation : S3Settings
{
    public const string Section = "Platform:Archiver";

    /// <summary>The bucket the archive lives in.</summary>
    [Required]
    public string Bucket { get; set; } = "platform-archive";

    /// <summary>The key prefix every archive object starts with (no leading or trailing slash); empty for the bucket's root.</summary>
    public string Prefix { get; set; } = "archive";
}
