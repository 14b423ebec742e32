using Microsoft.Extensions.Logging;
using Amazon.Runtime;
using Platform.Kinesis;

namespace Platform.AppHost.Kinesis;

/// <summary>
/// The emulated Kinesis endpoint's readiness and the <c>security-logs</c> stream, through the platform's own
/// Kinesis client.
/// </summary>
public static class KinesisStreams
{
    public const string SecurityLogs = "security-logs";
    public const int SecurityLogsShardCount = 2;
    public const string KinesaliteVersion = "3.3.3";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>
    /// Marks the emulator healthy once it answers, then creates the stream if missing. Dependents wait for
    /// both, so ingestion never starts before its stream is ACTIVE.
    /// </summary>
    public static IResourceBuilder<T> WithSecurityLogsStream<T>(this IResourceBuilder<T> kinesis, Uri endpoint)
        where T : IResource
    {
        var checkName = $"{kinesis.Resource.Name}-ready";
        kinesis.ApplicationBuilder.Services.AddHealthChecks().AddCheck(checkName, new KinesisEndpointHealthCheck(endpoint));
        return kinesis
            .WithHealthCheck(checkName)
            .OnResourceReady(async (resource, ready, cancellationToken) =>
            {
                var logger = ready.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
                var created = await EnsureStreamAsync(endpoint, SecurityLogs, SecurityLogsShardCount, cancellationToken);
                logger.LogInformation(created
                    ? "Created stream {Stream} with {Shards} shards."
                    : "Stream {Stream} exists.", SecurityLogs, SecurityLogsShardCount);
            });
    }

    /// <summary>Creates the stream unless it exists, then waits until it is ACTIVE. True if it was created.</summary>
    public static async Task<bool> EnsureStreamAsync(Uri endpoint, string streamName, int shardCount, CancellationToken cancellationToken)
    {
        var client = EmulatorClient(endpoint);
        var created = true;
        try
        {
            await client.CreateStreamAsync(streamName, shardCount, cancellationToken);
        }
        catch (KinesisException e) when (e.ErrorType == KinesisErrors.ResourceInUse)
        {
            created = false;
        }
        await client.WaitUntilActiveAsync(streamName, TimeSpan.FromMinutes(1), cancellationToken);
        return created;
    }

    /// <summary>The platform's own Kinesis client, with the placeholder credentials the emulator accepts.</summary>
    internal static KinesisClient EmulatorClient(Uri endpoint) =>
        new(Http, new KinesisEndpoint(endpoint, KinesisSource.EmulatorRegion), new BasicAWSCredentials("local", "local"), TimeProvider.System);
}

/// <summary>Healthy once the endpoint answers a Kinesis call (even "no such stream").</summary>
public sealed class KinesisEndpointHealthCheck(Uri endpoint) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await KinesisStreams.EmulatorClient(endpoint).DescribeStreamSummaryAsync(KinesisStreams.SecurityLogs, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (KinesisException e) when (e.ErrorType == KinesisErrors.ResourceNotFound)
        {
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is HttpRequestException or KinesisException)
        {
            return HealthCheckResult.Unhealthy($"{endpoint} does not answer Kinesis calls yet.", ex);
        }
    }
}
