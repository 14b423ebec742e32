using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Platform.Quarantine;

namespace Platform.Compliance.Configuration;

/// <summary>What a delivery of configuration items became.</summary>
/// <param name="Recorded">Items recorded (a new version of their resource's history).</param>
/// <param name="Unchanged">Items already recorded (the same capture time and content): nothing written.</param>
/// <param name="Items">Each item read, in order, with its version (null when unchanged) and whether it is now current.</param>
/// <param name="Quarantined">The parts that were not items, each with its field and why; kept in <c>/v1/quarantine</c>.</param>
public sealed record ConfigurationDeliveryResult(int Recorded, int Unchanged, IReadOnlyList<RecordOutcome> Items, IReadOnlyList<RefusedPartView> Quarantined);

/// <summary>A part of a delivery that was not an item.</summary>
public sealed record RefusedPartView(string Field, string Reason);

/// <summary>
/// Configuration in (<c>POST /v1/configuration-items</c>, <c>POST /v1/account-snapshots</c>: roles admin, ingest) and
/// out (a resource's history and current item: roles admin, analyst), and the quarantine of what was not an item.
/// </summary>
public static partial class ConfigurationApi
{
    public const string ItemsSource = "http:configuration-items";

    public static IEndpointRouteBuilder MapConfigurationApi(this IEndpointRouteBuilder app)
    {
        var ingest = app.MapGroup("/v1").WithTags("Configuration").RequireAuthorization(PlatformPolicies.Ingest);
        ingest.MapPost("/configuration-items", PostItemsAsync)
            .WithOperation("PutConfigurationItems", "Configuration items: one, a list, {\"configurationItems\": [...]}, or Config's notifications (also SNS-wrapped)",
                "Items in the API shape (awsAccountId, configurationItemCaptureTime, ...) or the notification shape (accountId, ARN, ...); " +
                "ConfigurationItemChangeNotification, OversizedConfigurationItemChangeNotification (fetched from S3), " +
                "ConfigurationSnapshotDeliveryCompleted (the snapshot fetched from S3). Parts that are not items are quarantined " +
                "and listed while the others are recorded; a body with no item is 400; an S3 object that cannot be fetched now is 502.")
            .Produces<ConfigurationDeliveryResult>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        ingest.MapPost("/account-snapshots", PostAccountSnapshotAsync)
            .WithOperation("PutAccountSnapshot", "Account-level facts: {\"accountId\", \"awsRegion\", \"PasswordPolicy\", \"SummaryMap\"} as IAM returns them",
                "Recorded as the account's AWS::::Account item. No PasswordPolicy: the account has none. No SummaryMap: the last one is kept.")
            .Produces<RecordOutcome>()
            .ProducesValidationProblem();

        var read = app.MapGroup("/v1").WithTags("Configuration").RequireAuthorization(PlatformPolicies.Read);
        read.MapGet("/compliance/resources/{resourceType}/{resourceId}/history", HistoryAsync)
            .WithOperation("GetResourceConfigHistory", "A resource's configuration items, newest first (like Config's GetResourceConfigHistory)",
                "earlierTime, laterTime (ISO 8601, inclusive); limit; page with cursor. An id holding '/' travels as %2F.")
            .Produces<Page<ConfigurationItemRecorded>>()
            .ProducesValidationProblem();
        read.MapGet("/configuration/resources/{resourceType}/{resourceId}", CurrentAsync)
            .WithOperation("GetCurrentConfiguration", "A resource's current configuration item (the newest by capture time; a deleted resource's deletion)",
                "An id holding '/' travels as %2F.")
            .Produces<ConfigurationItem>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapQuarantineApi();
        return app;
    }

    public static async Task<IResult> PostItemsAsync(
        HttpContext context, ConfigurationDeliveryReader reader, ConfigurationRecorder recorder, QuarantineStore quarantine,
        IntakeOptions options, ComplianceTelemetry telemetry, TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (await RequestBody.ReadAsync(context, options.MaxRequestBytes, cancellationToken) is not { } body)
        {
            return RequestBody.TooLarge(options.MaxRequestBytes, "Platform:Compliance:Intake:MaxRequestBytes");
        }
        if (body.Length == 0)
        {
            return ProblemDetailsExtensions.FieldProblem("body", "the request body is empty");
        }
        var receivedAt = clock.GetUtcNow();
        var logger = loggers.CreateLogger(typeof(ConfigurationApi));
        if ((JsonBody.TryDecode(body, out _) ?? JsonBody.TryParse(body, out _)) is { } unreadable)
        {
            var reason = string.Join("; ", unreadable.ProblemDetails.Errors.SelectMany(e => e.Value));
            await QuarantineAsync(quarantine, telemetry, logger, [new RefusedPart("body", reason, body, ItemsSource)], receivedAt, cancellationToken);
            return ProblemDetailsExtensions.FieldProblem("body", reason + " (the body was quarantined)", "The request body cannot be read.");
        }
        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = JsonBody.MaxDepth });
        var delivery = await reader.ReadAsync(document.RootElement, ItemsSource, cancellationToken);
        if (delivery.TooMany is { } tooMany)
        {
            return ProblemDetailsExtensions.FieldProblem("body", tooMany);
        }
        var refused = delivery.Refused.Where(r => !r.Unavailable).ToList();
        await QuarantineAsync(quarantine, telemetry, logger, refused, receivedAt, cancellationToken);
        if (delivery.Items.Count == 0 && refused.Count > 0)
        {
            var errors = new ValidationErrors();
            foreach (var part in refused.Take(RejectedPayload.MaxReasons))
            {
                errors.Add(part.Field, part.Reason + " (quarantined)");
            }
            return errors.ToProblem("The request holds no configuration item.");
        }
        var outcomes = await recorder.RecordAsync([.. delivery.Items.Select(i => new ItemToRecord(i.Item, i.Origin))], cancellationToken);
        if (delivery.Refused.FirstOrDefault(r => r.Unavailable) is { } unavailable)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status502BadGateway, title: "A configuration object could not be fetched.",
                detail: $"{unavailable.Field}: {unavailable.Reason}; deliver it again (what was read is recorded, once).");
        }
        if (delivery.Items.Count == 0)
        {
            return ProblemDetailsExtensions.FieldProblem("body", "holds no configuration item");
        }
        return TypedResults.Ok(new ConfigurationDeliveryResult(
            outcomes.Count(o => o.Version is not null), outcomes.Count(o => o.Version is null), outcomes,
            [.. refused.Select(r => new RefusedPartView(r.Field, r.Reason))]));
    }

    public static async Task<IResult> PostAccountSnapshotAsync(
        HttpContext context, ConfigurationRecorder recorder, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await RequestBody.ReadAsync(context, JsonBody.DefaultMaxBytes, cancellationToken) is not { } body)
        {
            return RequestBody.TooLarge(JsonBody.DefaultMaxBytes);
        }
        if (JsonBody.TryDecode(body, out _) is { } notText)
        {
            return notText;
        }
        if (JsonBody.TryParse(body, out var node) is { } notJson)
        {
            return notJson;
        }
        if (AccountSnapshot.TryRead(node, out var accountId, out var region, out var passwordPolicy, out var summaryMap) is { } invalid)
        {
            return invalid;
        }
        var capturedAt = clock.GetUtcNow();
        var outcome = await recorder.RecordOnCurrentAsync(
            ConfigurationItem.AccountResourceType, accountId,
            current => new ItemToRecord(
                AccountSnapshot.ToItem(accountId, region, passwordPolicy, summaryMap, capturedAt, current), ConfigurationOrigins.AccountSnapshot),
            inbox: null, cancellationToken);
        return TypedResults.Ok(outcome);
    }

    public static async Task<IResult> HistoryAsync(
        string resourceType, string resourceId, ComplianceDbContext db,
        [FromQuery] string? earlierTime, [FromQuery] string? laterTime, [FromQuery] string? limit, [FromQuery] string? cursor,
        CancellationToken cancellationToken)
    {
        if (ReadResource(resourceType, resourceId, out var type, out var id) is { } badPath)
        {
            return badPath;
        }
        var invalid = new[]
        {
            QueryParameters.TryTime(nameof(earlierTime), earlierTime, out var earlier),
            QueryParameters.TryTime(nameof(laterTime), laterTime, out var later),
            QueryParameters.TryPageWindow(null, null, limit, out _, out _, out var take),
        }.FirstOrDefault(p => p is not null);
        if (invalid is not null)
        {
            return invalid;
        }
        DateTimeOffset? beforeTime = null;
        long? beforeVersion = null;
        if (cursor is not null)
        {
            if (!PageCursor.TryDecode(cursor, out DateTimeOffset time, out string versionText)
                || !long.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                return PageCursor.Invalid();
            }
            (beforeTime, beforeVersion) = (time, version);
        }
        var stream = ConfigurationRecorder.StreamOf(type, id);
        var rows = await db.Database.SqlQuery<string>(
                $"""
                 SELECT e.data::text AS "Value"
                 FROM configuration_history h JOIN es_events e ON e.stream_id = {stream} AND e.stream_version = h.version
                 WHERE h.resource_type = {type} AND h.resource_id = {id}
                   AND ({earlier?.ToUniversalTime()}::timestamptz IS NULL OR h.capture_time >= {earlier?.ToUniversalTime()})
                   AND ({later?.ToUniversalTime()}::timestamptz IS NULL OR h.capture_time <= {later?.ToUniversalTime()})
                   AND ({beforeTime}::timestamptz IS NULL OR (h.capture_time, h.version) < ({beforeTime}::timestamptz, {beforeVersion}::bigint))
                 ORDER BY h.capture_time DESC, h.version DESC
                 LIMIT {take + 1}
                 """)
            .ToListAsync(cancellationToken);
        var items = rows.Take(take)
            .Select(r => JsonSerializer.Deserialize<ConfigurationItemRecorded>(r, PlatformJson.Options)!)
            .ToList();
        var next = rows.Count > take
            ? PageCursor.Encode(items[^1].Item.CaptureTime, items[^1].Version.ToString(CultureInfo.InvariantCulture))
            : null;
        return TypedResults.Ok(new Page<ConfigurationItemRecorded>(items, next));
    }

    public static async Task<IResult> CurrentAsync(string resourceType, string resourceId, IConfigurationItems items, CancellationToken cancellationToken)
    {
        if (ReadResource(resourceType, resourceId, out var type, out var id) is { } badPath)
        {
            return badPath;
        }
        return await items.FindAsync(type, id, cancellationToken) is { } item
            ? TypedResults.Ok(item)
            : ProblemDetailsExtensions.NoSuch("resource", $"No configuration of {type} '{id}' was recorded.");
    }

    /// <summary>The resource named by the path, unescaped (an id's '/' travels as %2F); a NUL no stored id can hold is a 400 naming it.</summary>
    private static ValidationProblem? ReadResource(string resourceType, string resourceId, out string type, out string id)
    {
        var typeProblem = QueryParameters.TryText(nameof(resourceType), Uri.UnescapeDataString(resourceType), out var typeText);
        var idProblem = QueryParameters.TryText(nameof(resourceId), Uri.UnescapeDataString(resourceId), out var idText);
        (type, id) = (typeText ?? "", idText ?? "");
        return typeProblem ?? idProblem;
    }

    private static async Task QuarantineAsync(
        QuarantineStore quarantine, ComplianceTelemetry telemetry, ILogger logger, IReadOnlyList<RefusedPart> parts, DateTimeOffset receivedAt,
        CancellationToken cancellationToken)
    {
        foreach (var bySource in parts.GroupBy(p => p.Source))
        {
            var payloads = bySource.Select(part =>
            {
                var payload = new RejectedPayload(part.Raw, part.Field);
                payload.Add($"{part.Field}: {part.Reason}");
                LogQuarantined(logger, part.Source, part.Field, part.Reason);
                return payload;
            }).ToList();
            await quarantine.AddAsync(payloads, bySource.Key, receivedAt, cancellationToken);
        }
        telemetry.ItemsQuarantined.Add(parts.Count);
    }

    [LoggerMessage(LogLevel.Warning, "Quarantined a part of a configuration delivery from {Source} at {Field}: {Reason}")]
    private static partial void LogQuarantined(ILogger logger, string source, string field, string reason);
}
