using Microsoft.AspNetCore.Http.HttpResults;

namespace Platform.Ingestion.Api;

/// <summary>The raw log store, newest first, filtered by the envelope fields.</summary>
public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/events").WithTags("Events").RequireAuthorization(PlatformPolicies.Read);
        group.MapGet("/", ListAsync)
            .WithSummary("Stored events, newest first by event time. Query: from, to, sourceType, logGroup, eventName, principal, sourceIp, errorCode, limit (1-1000, default 100), cursor.");
        group.MapGet("/{id}", GetAsync).WithSummary("One event with its original record.");
        return app;
    }

    private static readonly string[] TextFilters = ["logGroup", "eventName", "principal", "sourceIp", "errorCode"];

    public static async Task<IResult> ListAsync(HttpRequest request, LogEventReader reader, CancellationToken cancellationToken)
    {
        if (QueryParameters.TryPageWindow(request, out var from, out var to, out var limit) is { } problem)
        {
            return problem;
        }
        var sourceType = QueryParameters.Text(request, "sourceType");
        if (sourceType is not null && !LogSourceTypes.All.Contains(sourceType, StringComparer.Ordinal))
        {
            return ProblemDetailsExtensions.FieldProblem("sourceType", $"must be one of {string.Join(", ", LogSourceTypes.All)}");
        }
        DateTimeOffset? afterTime = null;
        string? afterId = null;
        if (QueryParameters.Text(request, "cursor") is { } cursor)
        {
            if (!PageCursor.TryDecode(cursor, out var time, out var id))
            {
                return ProblemDetailsExtensions.FieldProblem("cursor", "is not a cursor this API returned");
            }
            (afterTime, afterId) = (time, id);
        }

        var texts = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in TextFilters)
        {
            if (QueryParameters.TryText(request, name, out var value) is { } textProblem)
            {
                return textProblem;
            }
            texts[name] = value;
        }
        var filter = new LogEventFilter(
            from, to, sourceType, texts["logGroup"], texts["eventName"], texts["principal"], texts["sourceIp"], texts["errorCode"],
            afterTime, afterId, limit + 1);
        var rows = await reader.ListAsync(filter, cancellationToken);
        return TypedResults.Ok(Page.Of(rows, limit, e => LogEventView.From(e, withRecord: false), e => PageCursor.Encode(e.Event.EventTime, e.Event.EventId)));
    }

    public static async Task<Results<Ok<LogEventView>, NotFound>> GetAsync(string id, LogEventReader reader, CancellationToken cancellationToken) =>
        await reader.FindAsync(id, cancellationToken) is { } stored
            ? TypedResults.Ok(LogEventView.From(stored, withRecord: true))
            : TypedResults.NotFound();
}
