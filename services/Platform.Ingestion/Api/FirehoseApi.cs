using Platform.Http;
using System.Security.Cryptography;
using System.Text;
using Platform.Ingestion.Parsing;
using Platform.Ingestion.Pipeline;
using Platform.ServiceDefaults.Auth;

namespace Platform.Ingestion.Api;

/// <summary>
/// Amazon Data Firehose's HTTP endpoint delivery: Firehose authenticates with <c>X-Amz-Firehose-Access-Key</c>
/// (it cannot send our header), and expects its own response shapes, not problem details.
/// </summary>
public static class FirehoseApi
{
    public const string Source = "http:firehose";
    public const string AccessKeyHeader = "X-Amz-Firehose-Access-Key";
    public const string RequestIdHeader = "X-Amz-Firehose-Request-Id";

    /// <summary>What Firehose expects back on success.</summary>
    public sealed record FirehoseResponse(string RequestId, long Timestamp);

    /// <summary>What Firehose expects back on failure (it logs the message and retries).</summary>
    public sealed record FirehoseErrorResponse(string RequestId, long Timestamp, string ErrorMessage);

    public static IEndpointRouteBuilder MapFirehoseApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/ingest/firehose", PostAsync)
            .WithTags("Ingest")
            .WithSummary("Amazon Data Firehose HTTP endpoint delivery; records are subscription payloads or raw log lines.")
            .AllowAnonymous()
            .RequireRateLimiting(ApiKeyAuthenticationExtensions.IngestRateLimitPolicy);
        return app;
    }

    public static async Task<IResult> PostAsync(
        HttpContext context, LogIngestor ingestor, IngestionOptions options, ApiKeyRegistry keys, TimeProvider time,
        string? logGroup, CancellationToken cancellationToken)
    {
        var headerRequestId = context.Request.Headers[RequestIdHeader].ToString();
        if (!IsAuthorized(context, options, keys))
        {
            return Error(StatusCodes.Status401Unauthorized, headerRequestId, time,
                $"A valid {AccessKeyHeader} (the configured access key, or an API key with the ingest role) is required.");
        }
        if (await RequestBody.ReadAsync(context, options.MaxRequestBytes, cancellationToken) is not { } body)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, headerRequestId, time,
                $"The request body is larger than {options.MaxRequestBytes} bytes.");
        }
        if (body.Length == 0)
        {
            return Error(StatusCodes.Status400BadRequest, headerRequestId, time, "The request body is empty.");
        }

        var batch = new ParsedBatch();
        var refusal = FirehoseRequestParser.Parse(
            body, Source, logGroup, null, time.GetUtcNow(), options.MaxDecodedBytes, batch, out var requestId);
        requestId ??= headerRequestId;
        await ingestor.IngestAsync(new IngestionSource(Source, logGroup), batch, cancellationToken);
        return refusal is null
            ? TypedResults.Ok(new FirehoseResponse(requestId, time.GetUtcNow().ToUnixTimeMilliseconds()))
            : Error(StatusCodes.Status400BadRequest, requestId, time, $"The request cannot be read: {refusal} (it was quarantined).");
    }

    private static bool IsAuthorized(HttpContext context, IngestionOptions options, ApiKeyRegistry keys)
    {
        if (context.User.IsInRole(PlatformRoles.Ingest) || context.User.IsInRole(PlatformRoles.Admin))
        {
            return true;
        }
        var presented = context.Request.Headers[AccessKeyHeader].ToString();
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }
        if (options.Firehose.AccessKey is { Length: > 0 } configured
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(configured))))
        {
            return true;
        }
        return keys.Find(presented) is { Role: PlatformRoles.Ingest or PlatformRoles.Admin };
    }

    private static IResult Error(int status, string requestId, TimeProvider time, string message) =>
        TypedResults.Json(new FirehoseErrorResponse(requestId, time.GetUtcNow().ToUnixTimeMilliseconds(), message), statusCode: status);
}
