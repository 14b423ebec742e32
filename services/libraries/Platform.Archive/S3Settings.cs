using System.ComponentModel.DataAnnotations;
using Amazon.Runtime;
using Amazon.S3;

namespace Platform.Archive;

/// <summary>
/// An S3 endpoint and the credentials to sign for it with, as a service's settings give them: AWS by default (the SDK's
/// credential chain), or an S3-compatible endpoint with path-style addressing. The one place a service builds an S3
/// client, so that every S3 the platform talks to is addressed and signed the same way.
/// </summary>
public class S3Settings
{
    /// <summary>The region requests are signed for when the caller names none.</summary>
    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary>An S3-compatible endpoint (<c>http://127.0.0.1:54569</c>), addressed path style; empty for AWS itself.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>With <see cref="SecretAccessKey"/>, the credentials to sign with; empty for the SDK's default chain.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The secret key. Never logged.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>A client of this endpoint with these credentials; the caller disposes it.</summary>
    /// <param name="region">The region to sign for; <see cref="Region"/> when null.</param>
    /// <param name="configure">The caller's own request policy (retries, timeout).</param>
    public AmazonS3Client CreateClient(string? region = null, Action<AmazonS3Config>? configure = null)
    {
        region ??= Region;
        var config = new AmazonS3Config
        {
            // Checksums only where S3 requires them: S3-compatible servers do not all take the SDK's trailing checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        configure?.Invoke(config);
        if (ServiceUrl is { Length: > 0 } serviceUrl)
        {
            config.ServiceURL = serviceUrl;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }
        return AccessKeyId is { Length: > 0 } accessKey
            ? new AmazonS3Client(new BasicAWSCredentials(accessKey, SecretAccessKey), config)
            : new AmazonS3Client(config);
    }
}
