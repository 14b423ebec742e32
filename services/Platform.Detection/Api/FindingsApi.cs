using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Platform.Contracts.Detection;
using Platform.Detection.Findings;
using Platform.EventSourcing.Storage;
using Platform.ServiceDefaults.Auth;
using Platform.Contracts;
using Platform.Http;

namespace Platform.Detection.Api;

/// <summary>
/// Findings: list, read (also as OCSF), history, and triage. Triage needs <c>If-Match</c> with the finding's
/// version: 428 when it is missing, 412 when it is stale.
/// </summary>
public static class FindingsApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    private const string Roles = " Roles: admin, analyst.";

    public static RouteGroupBuilder MapFindingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/findings").WithTags("Findings").RequireAuthorization(PlatformPolicies.Read);

        group.MapGet("/", ListFindingsAsync)
            .WithName("ListFindings")
            .WithSummary("List findings, newest lastSeenAt first")
            .WithDescription("Filters combine with AND. Page with `cursor` (the previous page's `nextCursor`)." + Roles);
        group.MapGet("/{id:guid}", GetFindingAsync)
            .WithName("GetFinding")
            .WithSummary("Read a finding (ETag: its version); format=ocsf answers an OCSF 1.1.0 Detection Finding (class 2004)")
            .WithDescription("The ETag is the finding's version in quotes; send it in If-Match to triage." + Roles);
        group.MapGet("/{id:guid}/history", GetHistoryAsync)
            .WithName("GetFindingHistory")
            .WithSummary("Every change of a finding, with time and actor")
            .WithDescription("Opened, occurrences recorded, acknowledged, resolved, suppressed, reopened: in order." + Roles);
        group.MapPost("/{id:guid}/acknowledge", AcknowledgeAsync)
            .WithName("AcknowledgeFinding")
            .WithSummary("Acknowledge a finding")
            .WithDescription(TriageDescription);
        group.MapPost("/{id:guid}/resolve", ResolveAsync)
            .WithName("ResolveFinding")
            .WithSummary("Resolve a finding (a new occurrence reopens it)")
            .WithDescription(TriageDescription);
        group.MapPost("/{id:guid}/suppress", SuppressAsync)
            .WithName("SuppressFinding")
            .WithSummary("Suppress a finding, optionally until a time")
            .WithDescription(TriageDescription);
        group.MapPost("/{id:guid}/reopen", ReopenAsync)
            .WithName("ReopenFinding")
            .WithSummary("Reopen a finding")
            .WithDescription(TriageDescription);
        return group;
    }

    private const string TriageDescription =
        "Requires If-Match with the finding's current version (the ETag of GET /v1/findings/{id}): 428 when missing, " +
        "412 when stale. Body optional: {\"reason\": \"...\", \"until\": \"2030-01-01T00:00:00Z\"} (until: suppress only). " +
        "409 when the finding already has that status. Publishes FindingStatusChanged." + Roles;

    public static async Task<Results<Ok<FindingPage>, ValidationProblem>> ListFindingsAsync(
        DetectionDbContext db,
        [FromQuery] string? status,
        [FromQuery] string? minSeverity,
        [FromQuery] string? ruleId,
        [FromQuery] string? principal,
        [FromQuery] string? account,
        [FromQuery] string? from,
        [FromQuery] string? to,
        [FromQuery] string? limit,
        [FromQuery] string? cursor,
        CancellationToken cancellationToken)
    {
        IQueryable<FindingRecord> query = db.Findings.AsNoTracking();
        if (status is not null)
        {
            if (!Enum.TryParse<FindingStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Invalid("status", "must be one of open, acknowledged, resolved, suppressed");
            }

            query = query.Where(f => f.Status == parsed);
        }

        if (minSeverity is not null)
        {
            if (!Enum.TryParse<FindingSeverity>(minSeverity, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Invalid("minSeverity", "must be one of informational, low, medium, high, critical");
            }

            query = query.Where(f => f.Severity >= parsed);
        }

        if (ruleId is not null)
        {
            query = query.Where(f => f.RuleId == ruleId);
        }

        if (principal is not null)
        {
            query = query.Where(f => f.Principal == principal);
        }

        if (account is not null)
        {
            query = query.Where(f => f.Account == account);
        }

        if (from is not null)
        {
            if (!TryParseTime(from, out var fromTime))
            {
                return Invalid("from", "must be an ISO 8601 date-time");
            }

            query = query.Where(f => f.LastSeenAt >= fromTime);
        }

        if (to is not null)
        {
            if (!TryParseTime(to, out var toTime))
            {
                return Invalid("to", "must be an ISO 8601 date-time");
            }

            query = query.Where(f => f.LastSeenAt < toTime);
        }

        var pageSize = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxLimit))
        {
            return Invalid("limit", $"must be a whole number from 1 to {MaxLimit}");
        }

        if (cursor is not null)
        {
            if (!TryDecodeCursor(cursor, out var lastSeenAt, out var lastId))
            {
                return Invalid("cursor", "is not a cursor this API returned");
            }

            query = query.Where(f => f.LastSeenAt < lastSeenAt || (f.LastSeenAt == lastSeenAt && f.Id.CompareTo(lastId) < 0));
        }

        var rows = await query
            .OrderByDescending(f => f.LastSeenAt).ThenByDescending(f => f.Id)
            .Take(pageSize + 1)
            .ToListAsync(cancellationToken);
        var items = rows.Take(pageSize).Select(r => FindingView.From(r.ToState())).ToList();
        var next = rows.Count > pageSize ? EncodeCursor(rows[pageSize - 1]) : null;
        return TypedResults.Ok(new FindingPage(items, next));
    }

    public static async Task<Results<Ok<FindingView>, Ok<JsonObject>, NotFound<ProblemDetails>, ValidationProblem>> GetFindingAsync(
        Guid id, [FromQuery] string? format, FindingStreams findings, HttpContext http, CancellationToken cancellationToken)
    {
        if (format is not null && format != "ocsf")
        {
            return Invalid("format", "must be 'ocsf' or absent");
        }

        if (await findings.FindAsync(id, cancellationToken) is not { } record)
        {
            return FindingNotFound(id);
        }

        var state = record.ToState();
        http.Response.Headers.ETag = ETagOf(state.Version);
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

    public static Task<Results<Ok<FindingView>, NotFound<ProblemDetails>, ValidationProblem, ProblemHttpResult>> AcknowledgeAsync(
        Guid id, HttpContext http, FindingStreams findings, DetectionDbContext db, TimeProvider clock, CancellationToken cancellationToken,
        [FromBody] TriageRequest? request = null) =>
        TriageAsync(id, FindingStatus.Acknowledged, request, http, findings, db, clock, cancellationToken);

    public static Task<Results<Ok<FindingView>, NotFound<ProblemDetails>, ValidationProblem, ProblemHttpResult>> ResolveAsync(
        Guid id, HttpContext http, FindingStreams findings, DetectionDbContext db, TimeProvider clock, CancellationToken cancellationToken,
        [FromBody] TriageRequest? request = null) =>
        TriageAsync(id, FindingStatus.Resolved, request, http, findings, db, clock, cancellationToken);

    public static Task<Results<Ok<FindingView>, NotFound<ProblemDetails>, ValidationProblem, ProblemHttpResult>> SuppressAsync(
        Guid id, HttpContext http, FindingStreams findings, DetectionDbContext db, TimeProvider clock, CancellationToken cancellationToken,
        [FromBody] TriageRequest? request = null) =>
        TriageAsync(id, FindingStatus.Suppressed, request, http, findings, db, clock, cancellationToken);

    public static Task<Results<Ok<FindingView>, NotFound<ProblemDetails>, ValidationProblem, ProblemHttpResult>> ReopenAsync(
        Guid id, HttpContext http, FindingStreams findings, DetectionDbContext db, TimeProvider clock, CancellationToken cancellationToken,
        [FromBody] TriageRequest? request = null) =>
        TriageAsync(id, FindingStatus.Open, request, http, findings, db, clock, cancellationToken);

    private static async Task<Results<Ok<FindingView>, NotFound<ProblemDetails>, ValidationProblem, ProblemHttpResult>> TriageAsync(
        Guid id, FindingStatus target, TriageRequest? request, HttpContext http, FindingStreams findings, DetectionDbContext db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status428PreconditionRequired,
                title: "If-Match is required.",
                detail: "Send If-Match with the finding's version (the ETag of GET /v1/findings/{id}).");
        }

        if (!TryParseETag(ifMatch, out var expectedVersion))
        {
            return Invalid("If-Match", "must be the finding's ETag, a version in quotes such as \"3\"");
        }

        var now = clock.GetUtcNow();
        if (request?.Until is { } until && (target != FindingStatus.Suppressed || until <= now))
        {
            return Invalid("until", target != FindingStatus.Suppressed ? "applies to suppress only" : "must be in the future");
        }

        if (await findings.FindAsync(id, cancellationToken) is not { } record)
        {
            return FindingNotFound(id);
        }

        if (record.Version != expectedVersion)
        {
            return Stale(record.Version);
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
            var next = findings.Append(record, state, change, actor);
            await db.SaveChangesAsync(cancellationToken);
            http.Response.Headers.ETag = ETagOf(next.Version);
            return TypedResults.Ok(FindingView.From(next));
        }
        catch (StreamConcurrencyException)
        {
            return Stale(null);
        }
    }

    private static ProblemHttpResult Stale(long? currentVersion) => TypedResults.Problem(
        statusCode: StatusCodes.Status412PreconditionFailed,
        title: "The finding changed since you read it.",
        detail: currentVersion is { } version
            ? $"If-Match does not match the current version {ETagOf(version)}: read the finding again."
            : "Another change was made at the same time: read the finding again.");

    private static NotFound<ProblemDetails> FindingNotFound(Guid id) => TypedResults.NotFound(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = "No such finding.",
        Detail = $"There is no finding {id}.",
    });

    private static ValidationProblem Invalid(string field, string reason) =>
        (ValidationProblem)ProblemDetailsExtensions.FieldProblem(field, reason);

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

    private static string ETagOf(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    private static bool TryParseETag(string value, out long version)
    {
        var text = value.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        text = text.Trim('"');
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out version);
    }

    private static bool TryParseTime(string value, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);

    private static string EncodeCursor(FindingRecord last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"{last.LastSeenAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{last.Id:N}"));

    private static bool TryDecodeCursor(string cursor, out DateTimeOffset lastSeenAt, out Guid lastId)
    {
        lastSeenAt = default;
        lastId = default;
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split(':');
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks > DateTimeOffset.MaxValue.UtcTicks || !Guid.TryParseExact(parts[1], "N", out lastId))
            {
                return false;
            }

            lastSeenAt = new DateTimeOffset(ticks, TimeSpan.Zero);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
