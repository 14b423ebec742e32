using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Platform.Archiver.Storage;

/// <summary>An object as the archive lists it.</summary>
public sealed record ArchiveObject(string Key, DateTimeOffset LastModified, long Size);

/// <summary>
/// The archive's bucket through AWSSDK.S3 (AWS, or an S3-compatible endpoint addressed path style): the one place the
/// archiver talks to S3. Every PUT asks for server-side encryption: SSE-KMS with the given key, SSE-S3 without one.
/// </summary>
public sealed class ArchiveBucket : IDisposable
{
    /// <summary>The digest signature travels as object metadata, as CloudTrail's does.</summary>
    public const string SignatureMetadata = "signature";

    private readonly AmazonS3Client _client;
    private readonly string _bucket;

    public ArchiveBucket(ArchiverOptions options)
    {
        _bucket = options.Bucket;
        _client = options.CreateClient();
    }

    public string Name => _bucket;

    /// <summary>Writes the object, encrypted with <paramref name="kmsKeyId"/> (SSE-KMS) or, when empty, SSE-S3.</summary>
    public async Task PutAsync(
        string key, byte[] content, string contentType, string kmsKeyId, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(content, writable: false);
        await PutAsync(key, stream, contentType, kmsKeyId, metadata, cancellationToken);
    }

    /// <summary>Puts <paramref name="content"/> from where it stands to its end (a seekable stream, left open).</summary>
    public async Task PutAsync(
        string key, Stream content, string contentType, string kmsKeyId, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = key,
            InputStream = content,
            AutoCloseStream = false,
            ContentType = contentType,
            UseChunkEncoding = false,
            ServerSideEncryptionMethod = kmsKeyId.Length > 0 ? ServerSideEncryptionMethod.AWSKMS : ServerSideEncryptionMethod.AES256,
        };
        if (kmsKeyId.Length > 0)
        {
            request.ServerSideEncryptionKeyManagementServiceKeyId = kmsKeyId;
        }
        foreach (var (name, value) in metadata ?? new Dictionary<string, string>())
        {
            request.Metadata.Add(name, value);
        }
        await _client.PutObjectAsync(request, cancellationToken);
    }

    /// <summary>The object's bytes and metadata; null when there is no such object.</summary>
    public async Task<(byte[] Content, IReadOnlyDictionary<string, string> Metadata)?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetObjectAsync(_bucket, key, cancellationToken);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
            var metadata = response.Metadata.Keys.ToDictionary(
                name => name.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase) ? name["x-amz-meta-".Length..] : name,
                name => response.Metadata[name], StringComparer.OrdinalIgnoreCase);
            return (buffer.ToArray(), metadata);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Every object under <paramref name="prefix"/>, in key order.</summary>
    public async IAsyncEnumerable<ArchiveObject> ListAsync(
        string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix };
        do
        {
            var response = await _client.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in response.S3Objects ?? [])
            {
                yield return new ArchiveObject(item.Key,
                    item.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime()) : DateTimeOffset.MinValue, item.Size ?? 0);
            }
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (request.ContinuationToken is { Length: > 0 });
    }

    public void Dispose() => _client.Dispose();
}
