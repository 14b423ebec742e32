using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Platform.Compliance.Functions;

namespace Platform.Compliance.Remediation;

/// <summary>
/// Runs one attempt of a remediation against its target: <c>AWS-EnableS3BucketEncryption</c> performed by the platform
/// itself through S3's PutBucketEncryption (signed by the SDK with the configured credentials), and function targets
/// through <see cref="IFunctionCaller"/> with the resolved parameters and the resource. Answers why it failed, or null.
/// </summary>
public sealed class RemediationTargets(RemediationOptions options, IFunctionCaller? functions = null) : IDisposable
{
    private readonly ConcurrentDictionary<string, AmazonS3Client> _s3 = new(StringComparer.Ordinal);

    /// <returns>Null when the target did its work; else why not, safe to show (no secrets).</returns>
    public async Task<string?> RunAsync(LeasedAttempt leased, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.AttemptTimeout);
        var configuration = leased.Configuration;
        var parameters = configuration.ResolveParameters(leased.Execution.ResourceId);
        try
        {
            return configuration.TargetType == RemediationTargetTypes.Function
                ? await CallFunctionAsync(leased, parameters, timeout.Token)
                : await EnableBucketEncryptionAsync(leased.Execution, parameters, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {options.AttemptTimeout.TotalSeconds:0.###} s";
        }
        catch (AmazonServiceException ex)
        {
            return $"S3 answered {(int)ex.StatusCode} {ex.ErrorCode}: {ex.Message}";
        }
        catch (Exception ex) when (ex is AmazonClientException or HttpRequestException or IOException or FunctionCallException)
        {
            return ex.Message;
        }
    }

    /// <summary>
    /// <c>AWS-EnableS3BucketEncryption</c>: <c>BucketName</c>, <c>SSEAlgorithm</c> (<c>AES256</c> by default, or
    /// <c>aws:kms</c>) and, for KMS, <c>KMSMasterKeyID</c>, as one default encryption rule of the bucket.
    /// </summary>
    private async Task<string?> EnableBucketEncryptionAsync(RemediationExecution execution, JsonObject parameters, CancellationToken cancellationToken)
    {
        if (Text(parameters, "BucketName") is not { Length: > 0 } bucket)
        {
            return "parameter BucketName is missing";
        }
        var algorithm = Text(parameters, "SSEAlgorithm") ?? "AES256";
        if (algorithm is not ("AES256" or "aws:kms"))
        {
            return $"parameter SSEAlgorithm '{algorithm}' is not AES256 or aws:kms";
        }
        var rule = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = new ServerSideEncryptionMethod(algorithm) };
        if (algorithm == "aws:kms" && Text(parameters, "KMSMasterKeyID") is { Length: > 0 } key)
        {
            rule.ServerSideEncryptionKeyManagementServiceKeyId = key;
        }
        var region = execution.AwsRegion is { Length: > 0 } known && known != "global" ? known : options.S3.Region;
        await _s3.GetOrAdd(region, CreateS3Client).PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules = [new ServerSideEncryptionRule { ServerSideEncryptionByDefault = rule }],
            },
        }, cancellationToken);
        return null;
    }

    /// <summary>A function target gets the resolved parameters and the resource, as an SSM document would get its parameters.</summary>
    private async Task<string?> CallFunctionAsync(LeasedAttempt leased, JsonObject parameters, CancellationToken cancellationToken)
    {
        if (functions is null)
        {
            return "no function caller is configured in this service";
        }
        var execution = leased.Execution;
        var payload = new JsonObject
        {
            ["ConfigRuleName"] = execution.ConfigRuleName,
            ["ResourceType"] = execution.ResourceType,
            ["ResourceId"] = execution.ResourceId,
            ["AwsAccountId"] = execution.AwsAccountId,
            ["AwsRegion"] = execution.AwsRegion,
            ["Parameters"] = parameters,
            ["Attempt"] = execution.Attempt,
            ["Automatic"] = execution.Automatic,
        };
        await functions.InvokeAsync(leased.Configuration.TargetId, JsonSerializer.SerializeToElement(payload), cancellationToken);
        return null;
    }

    private static string? Text(JsonObject parameters, string name) => parameters[name] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray { Count: 1 } list when list[0] is JsonValue first && first.TryGetValue<string>(out var text) => text,
        _ => null,
    };

    private AmazonS3Client CreateS3Client(string region)
    {
        var s3 = options.S3;
        // The platform retries on its own schedule (RetryAttemptSeconds): one request per attempt.
        var config = new AmazonS3Config { MaxErrorRetry = 0, Timeout = options.AttemptTimeout, ForcePathStyle = s3.ForcePathStyle };
        if (s3.ServiceUrl is { Length: > 0 } serviceUrl)
        {
            config.ServiceURL = serviceUrl;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }
        return s3.AccessKeyId is { Length: > 0 } accessKey
            ? new AmazonS3Client(new BasicAWSCredentials(accessKey, s3.SecretAccessKey), config)
            : new AmazonS3Client(config);
    }

    public void Dispose()
    {
        foreach (var client in _s3.Values)
        {
            client.Dispose();
        }
    }
}
