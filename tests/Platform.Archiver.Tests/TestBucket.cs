using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Parquet.Serialization;

namespace Platform.Archiver.Tests;

/// <summary>A row of an archive file, read by the test's own Parquet reading (column names as Athena's DDL gives them).</summary>
public sealed class ParquetRow
{
    [System.Text.Json.Serialization.JsonPropertyName("event_id")]
    public string EventId { get; set; } = "";

    [System.Text.Json.Serialization.JsonPropertyName("event_time")]
    public DateTime EventTime { get; set; }

    [System.Text.Json.Serialization.JsonPropertyName("event_name")]
    public string? EventName { get; set; }

    [System.Text.Json.Serialization.JsonPropertyName("log_group")]
    public string? LogGroup { get; set; }

    [System.Text.Json.Serialization.JsonPropertyName("record")]
    public string Record { get; set; } = "";
}

/// <summary>A bucket of the test's own on the test s3rver, read and tampered with directly (not through the proxy).</summary>
public sealed class TestBucket : IDisposable
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

    private TestBucket(string name) => Name = name;

    public string Name { get; }

    public static async Task<TestBucket> CreateAsync()
    {
        var bucket = new TestBucket("archive-" + Guid.NewGuid().ToString("N")[..16]);
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

    public async Task<IList<ParquetRow>> ReadRowsAsync(string key)
    {
        using var stream = new MemoryStream(await ReadAsync(key));
        return (await ParquetSerializer.DeserializeAsync<ParquetRow>(stream)).Data;
    }

    /// <summary>Overwrites the object with <paramref name="content"/>, as someone with write access to the bucket could.</summary>
    public Task OverwriteAsync(string key, byte[] content) =>
        _client.PutObjectAsync(new PutObjectRequest { BucketName = Name, Key = key, InputStream = new MemoryStream(content), UseChunkEncoding = false });

    public Task DeleteAsync(string key) => _client.DeleteObjectAsync(Name, key);

    public void Dispose() => _client.Dispose();
}
