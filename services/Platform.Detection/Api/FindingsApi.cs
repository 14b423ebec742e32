using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;

namespace Platform.Detection.Api;

/// <summary>
/// Findings: list, read (also as OCSF), history, and triage. Triage needs <c>If-Match</c> with the finding's
/// version: 428 when it is missing, 412 when it is stale.
/// </summary>
public static class FindingsApi
{
    public static RouteGroupBuilder MapFindingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/findings").WithTags("Findings").RequireAuthorization(PlatformPolicies.Read);

        group.MapGet("/", ListFindingsAsync)
            .WithOperation("ListFindings", "List findings, newest lastSeenAt first",
                "Filters combine with AND; `disposition` is alert or signal; `huntId` lists a retro-hunt's findings. Page with `cursor` (the previous page's `nextCursor`).");
        group.MapGet("/{id:guid}", GetFindingAsync)
            .WithOperation("GetFinding", "Read a finding (ETag: its version); format=ocsf answers an OCSF 1.1.0 Detection Finding (class 2004)",
                "The ETag is the finding's version in quotes; send it in If-Match to triage.");
        group.MapGet("/{id:guid}/history", GetHistoryAsync)
            .WithOperation("GetFindingHistory", "Every change of a finding, with time and actor",
                "Opened, occurrences recorded, acknowledged, resolved, suppressed, reopened: in order.");
        group.MapPost("/{id:guid}/acknowledge", AcknowledgeAsync)
            .WithOperation("AcknowledgeFinding", "Acknowledge a finding")
            .WithTriage();
        group.MapPost("/{id:guid}/resolve", ResolveAsync)
            .WithOperation("ResolveFinding", "Resolve a finding (a new occurrence reopens it)")
            .WithTriage();
        group.MapPost("/{id:guid}/suppress", SuppressAsync)
            .WithOperation("SuppressFinding", "Suppress a finding, optionally until a time")
            .WithTriage();
        group.MapPost("/{id:guid}/reopen", ReopenAsync)
            .WithOperation("ReopenFinding", "Reopen a finding")
            .WithTriage();
        return group;
    }

    /// <summary>What every triage endpoint documents: its optional body and its answers.</summary>
    private static RouteHandlerBuilder WithTriage(this RouteHandlerBuilder endpoint) => endpoint
        .WithDescription(TriageDescription)
        .Accepts<TriageRequest>(isOptional: true, "application/json")
        .Produces<FindingView>()
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status428PreconditionRequired);

    private static readonly string TriageDescription =
        "Requires If-Match with the finding's current version (the ETag of GET /v1/findings/{id}, or a list of tags, or *; " +
        "compared strongly, so a weak tag never matches): 428 when missing, 412 when stale. Body optional: " +
        $"{{\"reason\": \"...\", \"until\": \"2030-01-01T00:00:00Z\"}} (reason: at most {ValidationErrors.MaxReasonLength} characters; until: suppress only). " +
        "409 when the finding already has that status. Publishes FindingStatusChanged.";

    public static async Task<Results<Ok<FindingPage>, ValidationProblem>> ListFindingsAsync(
        DetectionDbContext db,
        [FromQuery] string? status,
        [FromQuery] string? minSeverity,
        [FromQuery] string? disposition,
        [FromQuery] string? ruleId,
        [FromQuery] string? principal,
        [FromQuery] string? account,
        [FromQuery] string? from,
        [FromQuery] string? to,
        [FromQuery] string? limit,
        [FromQuery] string? cursor,
        [FromQuery] string? huntId,
        CancellationToken cancellationToken)
    {
        IQueryable<FindingRecord> query = db.Findings.AsNoTracking();
        if (huntId is not null)
        {
            if (!Guid.TryParse(huntId, out var hunt))
            {
                return ProblemDetailsExtensions.FieldProblem("huntId", "must be a retro-hunt's id (a UUID)");
            }

            query = query.Where(f => f.HuntId == hunt);
        }

        if (status is not null)
        {
            if (!Enum.TryParse<FindingStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return ProblemDetailsExtensions.FieldProblem("status", "must be one of open, acknowledged, resolved, suppressed");
            }

            query = query.Where(f => f.Status == parsed);
        }

        if (minSeverity is not null)
        {
            if (!Enum.TryParse<FindingSeverity>(minSeverity, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return ProblemDetailsExtensions.FieldProblem("minSeverity", "must be one of informational, low, medium, high, critical");
            }

            query = query.Where(f => f.Severity >= parsed);
        }

        if (disposition is not null)
        {
            if (!Enum.TryParse<FindingDisposition>(disposition, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return ProblemDetailsExtensions.FieldProblem("disposition", "must be alert or signal");
            }

            query = query.Where(f => f.Disposition == parsed);
        }

        string? principalValue = null, accountValue = null;
        if ((QueryParameters.TryText("ruleId", ruleId, out var ruleIdValue)
             ?? QueryParameters.TryText("principal", principal, out principalValue)
             ?? QueryParameters.TryText("account", account, out accountValue)) is { } textProblem)
        {
            return textProblem;
        }

        if (ruleIdValue is not null)
        {
            query = query.Where(f => f.RuleId == ruleIdValue);
        }

        if (principalValue is not null)
        {
            query = query.Where(f => f.Principal == principalValue);
        }

        if (accountValue is not null)
        {
            query = query.Where(f => f.Account == accountValue);
        }

        if (QueryParameters.TryPageWindow(from, to, limit, out var fromTime, out var toTime, out var pageSize) is { } problem)
        {
            return problem;
        }

        if (fromTime is { } fromValue)
        {
            query = query.Where(f => f.LastSeenAt >= fromValue);
        }

        if (toTime is { } toValue)
        {
            query = query.Where(f => f.LastSeenAt < toValue);
        }

        if (cursor is not null)
        {
            if (!PageCursor.TryDecodeGuid(cursor, out var lastSeenAt, out var lastId))
            {
                return PageCursor.Invalid();
            }

            query = query.Where(f => f.LastSeenAt < lastSeenAt || (f.LastSeenAt == lastSeenAt && f.Id.CompareTo(lastId) < 0));
        }

        var rows = await query
            .OrderByDescending(f => f.LastSeenAt).ThenByDescending(f => f.Id)
            .Take(pageSize + 1)
            .ToListAsync(cancellationToken);
        var page = Page.Of(rows, pageSize, r => FindingView.From(r.ToState()), r => PageCursor.Encode(r.LastSeenAt, r.Id));
        return TypedResults.Ok(new FindingPage(page.Items, page.NextCursor));
    }

    public static async Task<Results<Ok<FindingView>, Ok<JsonObject>, NotFound<ProblemDetails>, ValidationProblem>> GetFindingAsync(
        Guid id, [FromQuery] string? format, FindingStreams findings, HttpContext http, CancellationToken cancellationToken)
    {
        if (format is not null && format != "ocsf")
        {
            return ProblemDetailsExtensions.FieldProblem("format", "must be 'ocsf' or absent");
        }

        if (await findings.FindAsync(id, cancellationToken) is not { } record)
        {
            return FindingNotFound(id);
        }

        var state = record.ToState();
        http.Response.Headers.ETag = Precondition.ETag(state.Version);
        return format is null ? TypedResults.Ok(FindingView.From(state)) : TypedResults.Ok(OcsfDetectionFinding.From(state));
    }

    public static async Task<Results<Ok<IReadOnlyList<FindingHistoryEntry>>, NotFound<ProblemDetails>>> GetHistoryAsync(
        Guid id, EventStore store, CancellationToken cancellationToken)
    {
        var events = await store.ReadStreamAsync(FindingFingerprint.StreamIdOf(id), cancellationToken);
        if (events.Count == 0)
        {
            return FindingNotFound(id);
        }

        var history = events
            .Where(e => e.Data is not (FindingRaised or FindingUpdated or FindingStatusChanged))
            .Select(e => new FindingHistoryEntry(
                e.StreamVersion,
                HistoryType(e.Data),
                e.RecordedAt,
                e.Data is FindingSuppressed { SuppressionRule: { } rule } ? Suppression.SuppressionRule.ActorOf(rule) : e.Metadata.Actor,
                e.Data))
            .ToList();
        return TypedResults.Ok<IReadOnlyList<FindingHistoryEntry>>(history);
    }

    public static Task<IResult> AcknowledgeAsync(Guid id, [AsParameters] TriageServices services, CancellationToken cancellationToken) =>
        TriageAsync(id, FindingStatus.Acknowledged, services, cancellationToken);

    public static Task<IResult> ResolveAsync(Guid id, [AsParameters] TriageServices services, CancellationToken cancellationToken) =>
        TriageAsync(id, FindingStatus.Resolved, services, cancellationToken);

    public static Task<IResult> SuppressAsync(Guid id, [AsParameters] TriageServices services, CancellationToken cancellationToken) =>
        TriageAsync(id, FindingStatus.Suppressed, services, cancellationToken);

    public static Task<IResult> ReopenAsync(Guid id, [AsParameters] TriageServices services, CancellationToken cancellationToken) =>
        TriageAsync(id, FindingStatus.Open, services, cancellationToken);

    private static async Task<IResult> TriageAsync(Guid id, FindingStatus target, TriageServices services, CancellationToken cancellationToken)
    {
        var http = services.Http;
        if (Precondition.From(http.Request, out var headerProblem) is not { } precondition)
        {
            return headerProblem!;
        }

        if (precondition.IfMatch is null)
        {
            return Precondition.Required("Send If-Match with the finding's version (the ETag of GET /v1/findings/{id}).");
        }

        var body = await JsonBody.ReadAsync<TriageRequest>(http, JsonBody.RequestOptions, cancellationToken);
        if (body.Problem is { } bodyProblem)
        {
            return bodyProblem;
        }

        var request = body.Value;
        var errors = new ValidationErrors();
        errors.AddIfLonger("reason", request?.Reason, ValidationErrors.MaxReasonLength);
        var now = services.Clock.GetUtcNow();
        if (request?.Until is { } until && (target != FindingStatus.Suppressed || until <= now))
        {
            errors.Add("until", target != FindingStatus.Suppressed ? "applies to suppress only" : "must be in the future");
        }

        if (errors.HasErrors)
        {
            return errors.ToProblem();
        }

        if (await services.Findings.FindAsync(id, cancellationToken) is not { } record)
        {
            return FindingNotFound(id);
        }

        if (precondition.Check(record.Version) is { } failed)
        {
            return Precondition.Failed(failed + " Read the finding again.");
        }

        var state = record.ToState();
        var actor = http.User.FindFirstValue(ClaimTypes.Name) ?? "unknown";
        if (FindingDecisions.Triage(state, target, actor, request?.Reason, request?.Until, now) is not { } change)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The finding already has that status.",
                detail: $"Finding {id} is already {state.Status.ToString().ToLowerInvariant()}.");
        }

        try
        {
            var next = services.Findings.Append(record, state, change, actor);
            await services.Db.SaveChangesAsync(cancellationToken);
            http.Response.Headers.ETag = Precondition.ETag(next.Version);
            return TypedResults.Ok(FindingView.From(next));
        }
        catch (StreamConcurrencyException)
        {
            return Precondition.Failed("Another change was made at the same time: read the finding again.");
        }
    }

    private static NotFound<ProblemDetails> FindingNotFound(Guid id) => ProblemDetailsExtensions.NotFound("finding", $"There is no finding {id}.");

    private static string HistoryType(object data) => data switch
    {
        FindingOpened => "opened",
        OccurrencesRecorded => "occurrencesRecorded",
        FindingAcknowledged => "acknowledged",
        FindingResolved => "resolved",
        FindingSuppressed => "suppressed",
        FindingReopened => "reopened",
        _ => data.GetType().Name,
    };
}

/// <summary>What the triage handlers need, bound as one parameter.</summary>
/// <param name="Http">The request (If-Match, body, caller) and the response (ETag).</param>
/// <param name="Findings">The finding streams.</param>
/// <param name="Db">Saves the appended change.</param>
/// <param name="Clock">Now, for <c>until</c> and the change's time.</param>
public sealed record TriageServices(HttpContext Http, FindingStreams Findings, DetectionDbContext Db, TimeProvider Clock);
