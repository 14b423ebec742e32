using Microsoft.AspNetCore.Authorization;

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
        // Authenticated by the Firehose scheme before the rate limiter runs: each sender has its own bucket.
        var senders = new AuthorizationPolicyBuilder(FirehoseAuthenticationHandler.SchemeName)
            .RequireRole(PlatformRoles.Ingest, PlatformRoles.Admin)
            .Build();
        app.MapPost("/v1/ingest/firehose", PostAsync)
            .WithTags("Ingest")
            .WithSummary("Amazon Data Firehose HTTP endpoint delivery; records are subscription payloads or raw log lines.")
            .RequireAuthorization(senders)
            .RequireRateLimiting(ApiKeyAuthenticationExtensions.IngestRateLimitPolicy);
        return app;
    }

    public static async Task<IResult> PostAsync(
        HttpContext context, ILogIngestor ingestor, IngestionOptions options, TimeProvider time, string? logGroup, CancellationToken cancellationToken)
    {
        var headerRequestId = context.Request.Headers[RequestIdHeader].ToString();
        if (await RequestBody.ReadAsync(context, options.MaxRequestBytes, cancellationToken) is not { } body)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, headerRequestId, time,
                $"The request body is larger than {options.MaxRequestBytes} bytes.");
        }
        if (body.Length == 0)
        {
            return Error(StatusCodes.Status400BadRequest, headerRequestId, time, "The request body is empty.");
        }

        var outcome = await ingestor.IngestAsync(new IngestionSource(Source, logGroup), PayloadKind.FirehoseRequest, [new RawPayload(body, Source)], cancellationToken);
        var requestId = outcome.FirehoseRequestId ?? headerRequestId;
        return outcome.Refusal is null
            ? TypedResults.Ok(new FirehoseResponse(requestId, time.GetUtcNow().ToUnixTimeMilliseconds()))
            : Error(StatusCodes.Status400BadRequest, requestId, time, $"The request cannot be read: {outcome.Refusal} (it was quarantined).");
    }

    /// <summary>A failure in Firehose's shape, with the request id Firehose sent in its header.</summary>
    internal static IResult Error(HttpContext context, int status, string message) =>
        Error(status, context.Request.Headers[RequestIdHeader].ToString(), context.RequestServices.GetRequiredService<TimeProvider>(), message);

    private static IResult Error(int status, string requestId, TimeProvider time, string message) =>
        TypedResults.Json(new FirehoseErrorResponse(requestId, time.GetUtcNow().ToUnixTimeMilliseconds(), message), statusCode: status);
}
