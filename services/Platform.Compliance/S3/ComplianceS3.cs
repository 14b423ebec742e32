using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Amazon.Runtime;
using Amazon.S3;

namespace Platform.Compliance.S3;

/// <summary>
/// The one S3 the compliance service talks to, under <c>Platform:Compliance:S3</c>: intake fetches the objects Config
/// delivered from it and remediation sends PutBucketEncryption to it. AWS by default (the SDK's credential chain), or an
/// S3-compatible endpoint with path-style addressing.
/// </summary>
public sealed class ComplianceS3Options
{
    public const string Section = "Platform:Compliance:S3";

    /// <summary>An S3-compatible endpoint (<c>http://127.0.0.1:9000</c>), addressed path style; empty for AWS itself.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The region requests are signed for when the resource's own region is not known.</summary>
    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary>With <see cref="SecretAccessKey"/>, the credentials to sign with; empty for the SDK's default chain.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The secret key. Never logged.</summary>
    public string? SecretAccessKey { get; set; }
}

/// <summary>
/// AWSSDK.S3 clients for <see cref="ComplianceS3Options"/>, one per region and request policy (retries, timeout), kept
/// for the service's life: the one place the service builds an S3 client.
/// </summary>
public sealed class ComplianceS3(ComplianceS3Options options) : IDisposable
{
    private readonly ConcurrentDictionary<(string Region, int Retries, TimeSpan Timeout), AmazonS3Client> _clients = new();

    /// <summary>A client for one region.</summary>
    /// <param name="region">The region to sign for (the configured region when null, empty or <c>global</c>).</param>
    /// <param name="maxErrorRetry">The SDK's own retries of a failed request.</param>
    /// <param name="timeout">How long one request may take.</param>
    public AmazonS3Client For(string? region, int maxErrorRetry, TimeSpan timeout) =>
        _clients.GetOrAdd((region is { Length: > 0 } and not "global" ? region : options.Region, maxErrorRetry, timeout), Create);

    private AmazonS3Client Create((string Region, int Retries, TimeSpan Timeout) key)
    {
        var config = new AmazonS3Config { MaxErrorRetry = key.Retries, Timeout = key.Timeout };
        if (options.ServiceUrl is { Length: > 0 } serviceUrl)
        {
            config.ServiceURL = serviceUrl;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = key.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(key.Region);
        }
        return options.AccessKeyId is { Length: > 0 } accessKey
            ? new AmazonS3Client(new BasicAWSCredentials(accessKey, options.SecretAccessKey), config)
            : new AmazonS3Client(config);
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }
}
