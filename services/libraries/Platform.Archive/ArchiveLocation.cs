using System.ComponentModel.DataAnnotations;
using Amazon.Runtime;
using Amazon.S3;

namespace Platform.Archive;

/// <summary>
/// Where the archive is, under <c>Platform:Archiver</c>: the archiver binds it (with its own settings) to write there,
/// ingestion binds it to query there, so one configuration serves both.
/// </summary>
public class ArchiveLocation
{
    public const string Section = "Platform:Archiver";

    /// <summary>The bucket the archive lives in.</summary>
    [Required]
    public string Bucket { get; set; } = "platform-archive";

    /// <summary>The key prefix every archive object starts with (no leading or trailing slash); empty for the bucket's root.</summary>
    public string Prefix { get; set; } = "archive";

    /// <summary>The bucket's region (what requests are signed for).</summary>
    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary>An S3-compatible endpoint (<c>http://127.0.0.1:54569</c>), addressed path style; empty for AWS itself.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>With <see cref="SecretAccessKey"/>, the credentials to sign with; empty for the SDK's default chain.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The secret key. Never logged.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>A client of the bucket's endpoint with these credentials; the caller disposes it.</summary>
    public AmazonS3Client CreateClient()
    {
        var config = new AmazonS3Config
        {
            // Checksums only where S3 requires them: S3-compatible servers do not all take the SDK's trailing checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (ServiceUrl is { Length: > 0 } serviceUrl)
        {
            config.ServiceURL = serviceUrl;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(Region);
        }
        return AccessKeyId is { Length: > 0 } accessKey
            ? new AmazonS3Client(new BasicAWSCredentials(accessKey, SecretAccessKey), config)
            : new AmazonS3Client(config);
    }
}
