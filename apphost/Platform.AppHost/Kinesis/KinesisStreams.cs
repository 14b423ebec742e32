using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.AppHost.Kinesis;

/// <summary>
/// The emulated Kinesis endpoint's readiness and the <c>security-logs</c> stream, spoken in Kinesis's own
/// JSON protocol so the AppHost needs no AWS SDK.
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
        var created = true;
        using (var create = await SendAsync(endpoint, "CreateStream",
                   new JsonObject { ["StreamName"] = streamName, ["ShardCount"] = shardCount }, cancellationToken))
        {
            if (!create.IsSuccessStatusCode)
            {
                var error = await create.Content.ReadAsStringAsync(cancellationToken);
                created = error.Contains("ResourceInUseException", StringComparison.Ordinal)
                    ? false
                    : throw new InvalidOperationException($"CreateStream {streamName} failed: {(int)create.StatusCode} {error}");
            }
        }

        while (true)
        {
            using var describe = await SendAsync(endpoint, "DescribeStreamSummary", new JsonObject { ["StreamName"] = streamName }, cancellationToken);
            describe.EnsureSuccessStatusCode();
            var summary = await describe.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            if (summary?["StreamDescriptionSummary"]?["StreamStatus"]?.GetValue<string>() == "ACTIVE")
            {
                return created;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    internal static Task<HttpResponseMessage> SendAsync(Uri endpoint, string operation, JsonObject body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        request.Content.Headers.ContentType!.CharSet = null;
        request.Headers.Add("X-Amz-Target", $"Kinesis_20131202.{operation}");
        request.Headers.Add("X-Amz-Date", DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        // The emulator requires a well-formed SigV4 header but does not verify the signature.
        request.Headers.TryAddWithoutValidation("Authorization",
            "AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=0");
        return Http.SendAsync(request, cancellationToken);
    }
}

/// <summary>Healthy once the endpoint answers a ListStreams call.</summary>
public sealed class KinesisEndpointHealthCheck(Uri endpoint) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await KinesisStreams.SendAsync(endpoint, "ListStreams", [], cancellationToken);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"ListStreams answered {(int)response.StatusCode}.");
        }
        catch (HttpRequestException ex)
        {
            return HealthCheckResult.Unhealthy($"{endpoint} does not answer yet.", ex);
        }
    }
}
