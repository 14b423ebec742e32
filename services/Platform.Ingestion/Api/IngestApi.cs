namespace Platform.Ingestion.Api;

/// <summary>
/// Delivery over HTTP for senders that do not use Kinesis: a subscription payload, a CloudTrail log file, a VPC
/// Flow Logs file. Each body goes to the ingestor as it came; the answer is 202 with what became of the events, or
/// 400 when the body could not be read at all (it is quarantined all the same).
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
    public static Task<IResult> PostCloudWatchLogsAsync(
        HttpContext context, ILogIngestor ingestor, IngestionOptions options, string? logGroup, CancellationToken cancellationToken) =>
        IngestBodyAsync(context, ingestor, options, new IngestionSource(CloudWatchLogsSource, logGroup), PayloadKind.SubscriptionPayload, cancellationToken);

    /// <summary>Query <c>logGroup</c>: the log group to file the records under (CloudTrail files name none).</summary>
    public static Task<IResult> PostCloudTrailAsync(
        HttpContext context, ILogIngestor ingestor, IngestionOptions options, string? logGroup, CancellationToken cancellationToken) =>
        IngestBodyAsync(context, ingestor, options, new IngestionSource(CloudTrailSource, logGroup), PayloadKind.CloudTrailFile, cancellationToken);

    /// <summary>
    /// Query <c>format</c>: the file's custom format (<c>${version} ${account-id} ...</c>) when it has no header line;
    /// <c>logGroup</c>: the log group to file the records under.
    /// </summary>
    public static Task<IResult> PostVpcFlowLogsAsync(
        HttpContext context, ILogIngestor ingestor, IngestionOptions options, string? format, string? logGroup,
        CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(format) && FlowLogFormat.TryParseTemplate(format, out _) is { } formatError)
        {
            return Task.FromResult<IResult>(ProblemDetailsExtensions.FieldProblem("format", formatError));
        }
        return IngestBodyAsync(context, ingestor, options, new IngestionSource(VpcFlowLogsSource, logGroup, format), PayloadKind.FlowLogFile, cancellationToken);
    }

    private static async Task<IResult> IngestBodyAsync(
        HttpContext context, ILogIngestor ingestor, IngestionOptions options, IngestionSource source, PayloadKind kind, CancellationToken cancellationToken)
    {
        if (await RequestBody.ReadAsync(context, options.MaxRequestBytes, cancellationToken) is not { } body)
        {
            return RequestBody.TooLarge(options.MaxRequestBytes, "Platform:Ingestion:MaxRequestBytes");
        }
        if (body.Length == 0)
        {
            return ProblemDetailsExtensions.FieldProblem("body", "the request body is empty");
        }
        var outcome = await ingestor.IngestAsync(source, kind, [new RawPayload(body, source.Name)], cancellationToken);
        return outcome.Refusal is null
            ? TypedResults.Accepted((string?)null, outcome.Result)
            : ProblemDetailsExtensions.FieldProblem("body", outcome.Refusal + " (the body was quarantined)", "The request body cannot be read.");
    }
}
