using System.IO.Compression;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Platform.Compliance.S3;

namespace Platform.Compliance.Configuration;

/// <summary>An S3 object Config delivered (an oversized item, a snapshot) that could not be fetched or read, and why.</summary>
/// <param name="message">What failed, naming the object.</param>
/// <param name="transient">True when S3 could not be reached or failed (a later try may succeed): the delivery is not at fault.</param>
/// <param name="inner">The SDK's or the decompressor's error.</param>
public sealed class ConfigurationObjectException(string message, bool transient, Exception? inner = null) : Exception(message, inner)
{
    public bool Transient { get; } = transient;
}

/// <summary>
/// Fetches the objects Config's notifications name through AWSSDK.S3 (endpoint, region and credentials from
/// <see cref="ComplianceS3Options"/>), gunzipped when gzip (as Config writes snapshots), bounded by
/// <see cref="IntakeOptions.MaxObjectBytes"/> after decompression.
/// </summary>
public sealed class ConfigurationObjects(ComplianceS3 s3, IntakeOptions intake)
{
    private readonly AmazonS3Client _client = s3.For(region: null, maxErrorRetry: 2, intake.ObjectTimeout);
    private readonly IntakeOptions _intake = intake;

    /// <summary>The object's bytes, decompressed when gzip.</summary>
    /// <exception cref="ConfigurationObjectException">It could not be fetched, or is larger than the limit.</exception>
    public async Task<byte[]> GetAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken);
            await using var body = response.ResponseStream;
            var raw = await ReadBoundedAsync(body, bucket, key, cancellationToken);
            if (raw.Length < 2 || raw[0] != 0x1f || raw[1] != 0x8b)
            {
                return raw;
            }
            await using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            return await ReadBoundedAsync(gzip, bucket, key, cancellationToken);
        }
        catch (AmazonServiceException ex)
        {
            throw new ConfigurationObjectException(
                $"s3://{bucket}/{key} could not be fetched: {ex.ErrorCode ?? ex.StatusCode.ToString()}: {ex.Message}", (int)ex.StatusCode >= 500, ex);
        }
        catch (Exception ex) when (ex is AmazonClientException or HttpRequestException or InvalidDataException or IOException)
        {
            throw new ConfigurationObjectException($"s3://{bucket}/{key} could not be fetched: {ex.Message}", ex is not InvalidDataException, ex);
        }
    }

    private async Task<byte[]> ReadBoundedAsync(Stream stream, string bucket, string key, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > _intake.MaxObjectBytes)
            {
                throw new ConfigurationObjectException(
                    $"s3://{bucket}/{key} is larger than {_intake.MaxObjectBytes} bytes, the limit (Platform:Compliance:Intake:MaxObjectBytes)", transient: false);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
