using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Ingestion.Quarantine;
using Platform.ServiceDefaults.Auth;
using Platform.Contracts;
using Platform.Http;

namespace Platform.Ingestion.Api;

/// <summary>Input that could not be read, newest first; one item with its bytes (base64).</summary>
public static class QuarantineApi
{
    public static IEndpointRouteBuilder MapQuarantineApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/quarantine").WithTags("Quarantine").RequireAuthorization(PlatformPolicies.Read);
        group.MapGet("/", ListAsync).WithSummary("Quarantined input, newest first. Query: from, to, limit (1-1000, default 100), cursor.");
        group.MapGet("/{id}", GetAsync).WithSummary("One quarantined input with its raw bytes (base64).");
        return app;
    }

    public static async Task<IResult> ListAsync(HttpRequest request, QuarantineStore store, CancellationToken cancellationToken)
    {
        if (QueryParameters.TryPageWindow(request, out var from, out var to, out var limit) is { } problem)
        {
            return problem;
        }
        long? before = null;
        if (QueryParameters.Text(request, "cursor") is { } cursor)
        {
            if (!PageCursor.TryDecode(cursor, out long id))
            {
                return ProblemDetailsExtensions.FieldProblem("cursor", "is not a cursor this API returned");
            }
            before = id;
        }
        var rows = await store.ListAsync(from, to, before, limit + 1, cancellationToken);
        var items = rows.Take(limit).ToArray();
        var next = rows.Count > limit ? PageCursor.Encode(items[^1].Id) : null;
        return TypedResults.Ok(new Page<QuarantinedItem>(items, next));
    }

    public static async Task<Results<Ok<QuarantinedItem>, NotFound>> GetAsync(long id, QuarantineStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } item ? TypedResults.Ok(item) : TypedResults.NotFound();
}
