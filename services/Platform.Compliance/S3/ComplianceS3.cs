using System.Collections.Concurrent;
using Amazon.S3;
using Platform.Archive;

namespace Platform.Compliance.S3;

/// <summary>
/// The one S3 the compliance service talks to, under <c>Platform:Compliance:S3</c>: intake fetches the objects Config
/// delivered from it and remediation sends PutBucketEncryption to it. <see cref="S3Settings.Region"/> is signed for when
/// the resource's own region is not known.
/// </summary>
public sealed class ComplianceS3Options : S3Settings
{
    public const string Section = "Platform:Compliance:S3";
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

    private AmazonS3Client Create((string Region, int Retries, TimeSpan Timeout) key) =>
        options.CreateClient(key.Region, config =>
        {
            config.MaxErrorRetry = key.Retries;
            config.Timeout = key.Timeout;
        });

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }
}
