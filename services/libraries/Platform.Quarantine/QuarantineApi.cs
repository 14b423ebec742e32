namespace Platform.Quarantine;

/// <summary>Input that could not be read, newest first; one item with its bytes (base64).</summary>
public static class QuarantineApi
{
    public static IEndpointRouteBuilder MapQuarantineApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/quarantine").WithTags("Quarantine").RequireAuthorization(PlatformPolicies.Read);
        group.MapGet("/", ListAsync).WithSummary("Quarantined input, newest first. Query: from, to, limit (1-1000, default 100), cursor.");
        group.MapGet("/{id}", GetAsync)
            .WithSummary("One quarantined input with its raw bytes (base64).")
            .Produces<QuarantinedItem>()
            .ProducesValidationProblem()
            .Produces(StatusCodes.Status404NotFound);
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
        return TypedResults.Ok(Page.Of(rows, limit, r => r, r => PageCursor.Encode(r.Id)));
    }

    /// <summary>The id is bound as text, so one that is not a quarantine id is a 400 naming it rather than a failed binding.</summary>
    public static async Task<IResult> GetAsync(string id, QuarantineStore store, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            return ProblemDetailsExtensions.FieldProblem("id", "is not a quarantine id (a positive whole number below 2^63)");
        }
        return await store.FindAsync(number, cancellationToken) is { } item ? TypedResults.Ok(item) : TypedResults.NotFound();
    }
}
