using Platform.Ingestion.Parsing;
using Platform.Ingestion.Pipeline;
using Platform.ServiceDefaults.Auth;
using Platform.Contracts;
using Platform.Http;

namespace Platform.Ingestion.Api;

/// <summary>
/// Delivery over HTTP for senders that do not use Kinesis: a subscription payload, a CloudTrail log file, a VPC
/// Flow Logs file. Each answers 202 with what became of the events.
/// </summary>
public static class IngestApi
{
    public const string CloudWatchLogsSource = "http:cloudwatch-logs";
    public const string CloudTrailSource = "http:cloudtrail";
    public const string VpcFlowLogsSource = "http:vpc-flow-logs";

    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/ingest")
            .WithTags("Ingest")
            .RequireAuthorization(PlatformPolicies.Ingest)
            .RequireRateLimiting(ApiKeyAuthenticationExtensions.IngestRateLimitPolicy);

        group.MapPost("/cloudwatch-logs", PostCloudWatchLogsAsync)
            .WithSummary("One CloudWatch Logs subscription payload (gzip, zlib or plain JSON; also the awslogs and Kinesis Lambda envelopes).");
        group.MapPost("/cloudtrail", PostCloudTrailAsync)
            .WithSummary("A CloudTrail log file as delivered to S3 ({\"Records\": [...]}, gzip or plain), or a JSON array of records.");
        group.MapPost("/vpc-flow-logs", PostVpcFlowLogsAsync)
            .WithSummary("A VPC Flow Logs file, with or without its header line, gzip or plain.");
        return app;
    }

    /// <summary>Query <c>logGroup</c>: the log group to assume when the payload names none.</summary>
    public static async Task<IResult> PostCloudWatchLogsAsync(
        HttpContext context, LogIngestor ingestor, IngestionOptions options, TimeProvider time, string? logGroup, CancellationToken cancellationToken)
    {
        if (await ReadBodyAsync(context, options, cancellationToken) is not { } body)
        {
            return RequestBody.TooLarge(options.MaxRequestBytes);
        }
        if (body.Length == 0)
        {
            return ProblemDetailsExtensions.FieldProblem("body", "the request body is empty");
        }
        var source = new IngestionSource(CloudWatchLogsSource, logGroup);
        var batch = new ParsedBatch();
        var payloads = SubscriptionEnvelope.Unwrap(body);
        string? refusal = null;
        foreach (var payload in payloads)
        {
            var error = SubscriptionPayloadParser.Parse(payload, CloudWatchLogsSource, logGroup, null, time.GetUtcNow(), options.MaxDecodedBytes, batch);
            // A body that is one payload is refused whole; the payloads of an envelope stand or fall alone.
            refusal = payloads.Count == 1 ? error : null;
        }
        return await CompleteAsync(ingestor, source, batch, refusal, cancellationToken);
    }

    /// <summary>Query <c>logGroup</c>: the log group to file the records under (CloudTrail files name none).</summary>
    public static async Task<IResult> PostCloudTrailAsync(
        HttpContext context, LogIngestor ingestor, IngestionOptions options, TimeProvider time, string? logGroup, CancellationToken cancellationToken)
    {
        if (await ReadBodyAsync(context, options, cancellationToken) is not { } body)
        {
            return RequestBody.TooLarge(options.MaxRequestBytes);
        }
        if (body.Length == 0)
        {
            return ProblemDetailsExtensions.FieldProblem("body", "the request body is empty");
        }
        var batch = new ParsedBatch();
        var refusal = CloudTrailFileParser.Parse(body, CloudTrailSource, logGroup, time.GetUtcNow(), options.MaxDecodedBytes, batch);
        return await CompleteAsync(ingestor, new IngestionSource(CloudTrailSource, logGroup), batch, refusal, cancellationToken);
    }

    /// <summary>
    /// Query <c>format</c>: the file's custom format (<c>${version} ${account-id} ...</c>) when it has no header line;
    /// <c>logGroup</c>: the log group to file the records under.
    /// </summary>
    public static async Task<IResult> PostVpcFlowLogsAsync(
        HttpContext context, LogIngestor ingestor, IngestionOptions options, TimeProvider time, string? format, string? logGroup,
        CancellationToken cancellationToken)
    {
        FlowLogFormat? flowLogFormat = null;
        if (!string.IsNullOrWhiteSpace(format))
        {
            if (FlowLogFormat.TryParseTemplate(format, out var parsedFormat) is { } formatError)
            {
                return ProblemDetailsExtensions.FieldProblem("format", formatError);
            }
            flowLogFormat = parsedFormat;
        }
        if (await ReadBodyAsync(context, options, cancellationToken) is not { } body)
        {
            return RequestBody.TooLarge(options.MaxRequestBytes);
        }
        if (body.Length == 0)
        {
            return ProblemDetailsExtensions.FieldProblem("body", "the request body is empty");
        }
        var batch = new ParsedBatch();
        var refusal = FlowLogFileParser.Parse(body, VpcFlowLogsSource, logGroup, flowLogFormat, time.GetUtcNow(), options.MaxDecodedBytes, batch);
        return await CompleteAsync(ingestor, new IngestionSource(VpcFlowLogsSource, logGroup, format), batch, refusal, cancellationToken);
    }

    private static Task<byte[]?> ReadBodyAsync(HttpContext context, IngestionOptions options, CancellationToken cancellationToken) =>
        RequestBody.ReadAsync(context, options.MaxRequestBytes, cancellationToken);

    /// <summary>Stores what was parsed (and quarantines what was not); a refused body is quarantined and answered 400.</summary>
    private static async Task<IResult> CompleteAsync(
        LogIngestor ingestor, IngestionSource source, ParsedBatch batch, string? refusal, CancellationToken cancellationToken)
    {
        var result = await ingestor.IngestAsync(source, batch, cancellationToken);
        return refusal is null
            ? TypedResults.Accepted((string?)null, result)
            : ProblemDetailsExtensions.FieldProblem("body", refusal + " (the body was quarantined)", "The request body cannot be read.");
    }
}
