using Microsoft.AspNetCore.Mvc;
using Platform.Alerting.Delivery;

namespace Platform.Alerting.Api;

/// <summary>
/// The delivery log: every delivery with its attempts, filtered by status, and a retry of one that is dead or failed.
/// Retry is open to analysts as well as admins: it sends again what was already meant to go to the same subscriber (it
/// cannot name a new destination or change configuration), and getting a lost alert out is part of triage.
/// </summary>
public static class DeliveriesApi
{
    public static RouteGroupBuilder MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/deliveries").WithTags("Deliveries").RequireAuthorization(PlatformPolicies.Read);
        group.MapGet("/", ListAsync)
            .WithOperation("ListDeliveries", "List deliveries, newest first",
                $"status: one of {string.Join(", ", DeliveryStatus.All)}. Page with `cursor` (the previous page's `nextCursor`).");
        group.MapGet("/{id:guid}", GetAsync)
            .WithOperation("GetDelivery", "Read a delivery with every attempt (time, duration, status code or error, the response's first bytes)");
        group.MapPost("/{id:guid}/retry", RetryAsync)
            .WithOperation("RetryDelivery", "Send a dead or failed delivery again, with the full number of attempts",
                "409 when it is pending or delivered.");
        return group;
    }

    public static async Task<Results<Ok<Page<DeliveryView>>, ValidationProblem>> ListAsync(
        DeliveryStore store, [FromQuery] string? status, [FromQuery] string? limit, [FromQuery] string? cursor, CancellationToken cancellationToken)
    {
        if (status is not null && !DeliveryStatus.All.Contains(status))
        {
            return ProblemDetailsExtensions.FieldProblem("status", $"must be one of {string.Join(", ", DeliveryStatus.All)}");
        }
        if (QueryParameters.TryPageWindow(null, null, limit, out _, out _, out var pageSize) is { } problem)
        {
            return problem;
        }
        (DateTimeOffset, Guid)? after = null;
        if (cursor is not null)
        {
            if (!PageCursor.TryDecodeGuid(cursor, out var createdAt, out var id))
            {
                return PageCursor.Invalid();
            }
            after = (createdAt, id);
        }

        var rows = await store.ListAsync(status, after, pageSize + 1, cancellationToken);
        return TypedResults.Ok(Page.Of(rows, pageSize, Masked, r => PageCursor.Encode(r.CreatedAt, r.Id)));
    }

    public static async Task<Results<Ok<DeliveryView>, NotFound<ProblemDetails>>> GetAsync(
        Guid id, DeliveryStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } view ? TypedResults.Ok(Masked(view)) : NotFound(id);

    public static async Task<Results<Accepted<DeliveryView>, NotFound<ProblemDetails>, ProblemHttpResult>> RetryAsync(
        Guid id, DeliveryStore store, DeliverySignal signal, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await store.RetryAsync(id, clock.GetUtcNow(), cancellationToken))
        {
            signal.Wake();
            return TypedResults.Accepted($"/v1/deliveries/{id}", Masked((await store.GetAsync(id, cancellationToken))!));
        }
        return await store.GetAsync(id, cancellationToken) is { } view
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Only a dead or failed delivery is retried.",
                detail: $"Delivery {id} is {view.Status}.")
            : NotFound(id);
    }

    /// <summary>A Slack incoming webhook's URL is its credential: the list shows its host only.</summary>
    private static DeliveryView Masked(DeliveryView view) =>
        view.Protocol == TopicProtocols.Slack && Uri.TryCreate(view.Endpoint, UriKind.Absolute, out var uri)
            ? view with { Endpoint = $"{uri.Scheme}://{uri.Authority}/…", Subscriber = view.Subscriber.Replace(view.Endpoint, $"{uri.Scheme}://{uri.Authority}/…", StringComparison.Ordinal) }
            : view;

    private static NotFound<ProblemDetails> NotFound(Guid id) => ProblemDetailsExtensions.NotFound("delivery", $"There is no delivery {id}.");
}
