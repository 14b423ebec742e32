using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Platform.Compliance.Functions;
using Platform.Compliance.S3;
using Platform.ConfigRules.Remediation;

namespace Platform.Compliance.Remediation;

/// <summary>
/// Runs one attempt of a remediation against its target: <c>AWS-EnableS3BucketEncryption</c> performed by the platform
/// itself through S3's PutBucketEncryption (signed by the SDK with the configured credentials), and function targets
/// through <see cref="IFunctionCaller"/> with the resolved parameters and the resource. Answers why it failed, or null.
/// </summary>
public sealed class RemediationTargets(RemediationOptions options, ComplianceS3 s3, IFunctionCaller? functions = null)
{
    /// <returns>Null when the target did its work; else why not, safe to show (no secrets).</returns>
    public async Task<string?> RunAsync(LeasedAttempt leased, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.AttemptTimeout);
        var configuration = leased.Configuration;
        var parameters = configuration.ResolveParameters(leased.Execution.ResourceId);
        try
        {
            return configuration.TargetType == RemediationTargetType.Function
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
    /// <c>aws:kms</c>) and, for KMS, <c>KMSMasterKeyID</c>, as one default encryption rule of the bucket. The parser
    /// required the bucket, checked the algorithm and filled in its default.
    /// </summary>
    private async Task<string?> EnableBucketEncryptionAsync(
        RemediationExecution execution, IReadOnlyDictionary<string, IReadOnlyList<string>> parameters, CancellationToken cancellationToken)
    {
        if (First(parameters, "BucketName") is not { Length: > 0 } bucket)
        {
            return "parameter BucketName is empty";
        }
        var algorithm = First(parameters, "SSEAlgorithm") ?? "AES256";
        var rule = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = new ServerSideEncryptionMethod(algorithm) };
        if (algorithm == "aws:kms" && First(parameters, "KMSMasterKeyID") is { Length: > 0 } key)
        {
            rule.ServerSideEncryptionKeyManagementServiceKeyId = key;
        }
        // The platform retries on its own schedule (RetryAttemptSeconds): one request per attempt.
        await s3.For(execution.AwsRegion, maxErrorRetry: 0, options.AttemptTimeout).PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules = [new ServerSideEncryptionRule { ServerSideEncryptionByDefault = rule }],
            },
        }, cancellationToken);
        return null;
    }

    /// <summary>
    /// A function target gets the resolved parameters and the resource, as an SSM document would get its parameters: a
    /// single value as a string, several as a list (as SSM's StringList parameters take them).
    /// </summary>
    private async Task<string?> CallFunctionAsync(
        LeasedAttempt leased, IReadOnlyDictionary<string, IReadOnlyList<string>> parameters, CancellationToken cancellationToken)
    {
        if (functions is null)
        {
            return "no function caller is configured in this service";
        }
        var execution = leased.Execution;
        var resolved = new JsonObject();
        foreach (var (name, values) in parameters)
        {
            resolved[name] = values is [var single]
                ? JsonValue.Create(single)
                : new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
        }
        var payload = new JsonObject
        {
            ["ConfigRuleName"] = execution.ConfigRuleName,
            ["ResourceType"] = execution.ResourceType,
            ["ResourceId"] = execution.ResourceId,
            ["AwsAccountId"] = execution.AwsAccountId,
            ["AwsRegion"] = execution.AwsRegion,
            ["Parameters"] = resolved,
            ["Attempt"] = execution.Attempt,
            ["Automatic"] = execution.Automatic,
        };
        await functions.InvokeAsync(leased.Configuration.TargetId, JsonSerializer.SerializeToElement(payload), cancellationToken);
        return null;
    }

    private static string? First(IReadOnlyDictionary<string, IReadOnlyList<string>> parameters, string name) =>
        parameters.TryGetValue(name, out var values) && values is [var first, ..] ? first : null;
}
