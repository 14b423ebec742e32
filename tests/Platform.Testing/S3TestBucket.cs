using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Platform.Testing;

/// <summary>A bucket of the test's own on the test s3rver (<see cref="TestServers.S3"/>), read and tampered with directly.</summary>
public sealed class S3TestBucket : IDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly AmazonS3Client _client = new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
    {
        ServiceURL = TestServers.S3.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    private S3TestBucket(string name) => Name = name;

    public string Name { get; }

    public static async Task<S3TestBucket> CreateAsync()
    {
        var bucket = new S3TestBucket("archive-" + Guid.NewGuid().ToString("N")[..16]);
        await bucket._client.PutBucketAsync(bucket.Name);
        return bucket;
    }

    /// <summary>The archiver's settings for this bucket, reached through <paramref name="endpoint"/> (the recording proxy).</summary>
    public Dictionary<string, string?> ArchiverSettings(string endpoint) => new()
    {
        ["Platform:Archiver:Bucket"] = Name,
        ["Platform:Archiver:Prefix"] = "archive",
        ["Platform:Archiver:ServiceUrl"] = endpoint,
        ["Platform:Archiver:AccessKeyId"] = AccessKey,
        ["Platform:Archiver:SecretAccessKey"] = SecretKey,
        // The tests close files and sign digests with POST /v1/archive/flush.
        ["Platform:Archiver:PollInterval"] = "01:00:00",
    };

    public async Task<List<string>> KeysAsync(string prefix = "archive/")
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = Name, Prefix = prefix };
        do
        {
            var response = await _client.ListObjectsV2Async(request);
            keys.AddRange((response.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (request.ContinuationToken is { Length: > 0 });
        return keys;
    }

    public async Task<List<string>> DataKeysAsync() => (await KeysAsync()).Where(k => k.EndsWith(".parquet", StringComparison.Ordinal)).ToList();

    public async Task<List<string>> DigestKeysAsync() => await KeysAsync("archive/_digests/");

    public async Task<byte[]> ReadAsync(string key)
    {
        using var response = await _client.GetObjectAsync(Name, key);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>Overwrites the object with <paramref name="content"/>, as someone with write access to the bucket could.</summary>
    public Task OverwriteAsync(string key, byte[] content) =>
        _client.PutObjectAsync(new PutObjectRequest { BucketName = Name, Key = key, InputStream = new MemoryStream(content), UseChunkEncoding = false });

    public Task DeleteAsync(string key) => _client.DeleteObjectAsync(Name, key);

    public void Dispose() => _client.Dispose();
}
