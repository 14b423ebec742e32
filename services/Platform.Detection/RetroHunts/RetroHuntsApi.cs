using Microsoft.AspNetCore.Mvc;

namespace Platform.Detection.RetroHunts;

/// <summary>
/// Retro-hunts: run a rule (Sigma YAML, or a loaded rule by id) over the stored events of a past range. Ingestion,
/// which owns the stored events, streams the range to this service; findings are marked as the hunt's and page no
/// one by default.
/// </summary>
public static class RetroHuntsApi
{
    private static readonly JsonSerializerOptions RequestJson = JsonBody.ForRequests(PlatformJson.Options);

    public static RouteGroupBuilder MapRetroHuntsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/retro-hunts").WithTags("Retro-hunts").RequireAuthorization(PlatformPolicies.Read);
        group.MapPost("/", StartAsync)
            .WithOperation("StartRetroHunt", "Run a rule over the stored events of a past range",
                "Body: {\"rule\": \"<Sigma YAML>\"} or {\"ruleId\": \"<id of a loaded rule>\"}, with \"from\" and \"to\" (event time, " +
                "from inclusive, to exclusive). Correlation rules count over the range by event time, in windows of the hunt's own. " +
                "Answers 202 with the hunt; 400 naming the field for a rule that does not load, an unknown ruleId or a bad range. " +
                "Findings carry origin {type: retro-hunt, huntId}; alerting delivers them only to event rules whose pattern names " +
                "the source platform.retro-hunt.")
            .Accepts<RetroHuntRequest>("application/json")
            .ProducesValidationProblem();
        group.MapGet("/{id:guid}", GetAsync)
            .WithOperation("GetRetroHunt", "A hunt's status and progress: events scanned of the total, findings",
                "status: running, completed, cancelled or failed.");
        group.MapDelete("/{id:guid}", CancelAsync)
            .WithOperation("CancelRetroHunt", "Cancel a running hunt: ingestion stops streaming and later batches are ignored",
                "409 when the hunt is not running.");
        return group;
    }

    public static async Task<IResult> StartAsync(
        HttpContext http, RuleCatalog catalog, RetroHuntStore hunts, IPublishEndpoint publish, RetroHuntOptions options, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<RetroHuntRequest>(http, RequestJson, cancellationToken, options.MaxRequestBytes);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        var request = body.Value;
        if (request is null)
        {
            return ProblemDetailsExtensions.FieldProblem("body", "is required: {\"rule\" | \"ruleId\", \"from\", \"to\"}");
        }

        var errors = new ValidationErrors();
        if (request.From is not { } from)
        {
            errors.Add("from", "is required (event time, inclusive)");
        }

        if (request.To is not { } to)
        {
            errors.Add("to", "is required (event time, exclusive)");
        }
        else if (request.From is { } start && start >= to)
        {
            errors.Add("from", "must be before to");
        }
        else if (request.From is { } begin && to - begin > options.MaxRange)
        {
            errors.Add("to", $"the range is {to - begin} long: at most {options.MaxRange} ({RetroHuntOptions.Section}:MaxRange)");
        }

        string? yaml = null, ruleKey = null, ruleId = null, title = null;
        if ((request.Rule is null) == (request.RuleId is null))
        {
            errors.Add("rule", "give either rule (Sigma YAML) or ruleId (a loaded rule's id), not both");
        }
        else if (request.Rule is { } text)
        {
            var file = RetroHuntRules.Load(text, out _);
            foreach (var error in file.Errors)
            {
                errors.Add("rule", error.ToString());
            }

            if (file.Succeeded)
            {
                var first = file.Rules.Select(r => r.Definition).Concat(file.Correlations).First();
                (yaml, ruleId, title) = (text, first.Id ?? first.Key, first.Title);
            }
        }
        else if (catalog.HuntableRule(request.RuleId!) is { } found)
        {
            (yaml, ruleKey, ruleId, title) = (found.Yaml, found.Rule.Key, found.Rule.Id, found.Rule.Title);
        }
        else
        {
            errors.Add("ruleId", "no loaded rule has this id (GET /v1/rules lists them)");
        }

        if (errors.HasErrors)
        {
            return errors.ToProblem();
        }

        var hunt = new RetroHuntRecord
        {
            Id = Guid.CreateVersion7(),
            RuleYaml = yaml!,
            RuleKey = ruleKey,
            RuleId = ruleId!,
            Title = title!,
            RangeFrom = request.From!.Value.ToUniversalTime(),
            RangeTo = request.To!.Value.ToUniversalTime(),
            Status = RetroHuntStatus.Running,
            CreatedAt = clock.GetUtcNow(),
        };
        using var activity = DetectionTelemetry.ActivitySource.StartActivity("retro-hunt start");
        activity?.SetTag("platform.hunt_id", hunt.Id);
        activity?.SetTag("platform.rule_id", hunt.RuleId);
        await hunts.AddAsync(hunt, cancellationToken);
        await publish.Publish(new RetroHuntRequested(hunt.Id, hunt.RangeFrom, hunt.RangeTo, options.BatchSize, hunt.RuleYaml), cancellationToken);
        return TypedResults.Accepted($"/v1/retro-hunts/{hunt.Id}", RetroHuntView.Of(hunt));
    }

    public static async Task<Results<Ok<RetroHuntView>, NotFound<ProblemDetails>>> GetAsync(Guid id, RetroHuntStore hunts, CancellationToken cancellationToken) =>
        await hunts.FindAsync(id, cancellationToken) is { } hunt ? TypedResults.Ok(RetroHuntView.Of(hunt)) : HuntNotFound(id);

    public static async Task<Results<Ok<RetroHuntView>, NotFound<ProblemDetails>, ProblemHttpResult>> CancelAsync(
        Guid id, RetroHuntStore hunts, RetroHuntEnding ending, IPublishEndpoint publish, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await hunts.EndAsync(id, RetroHuntStatus.Cancelled, null, clock.GetUtcNow(), cancellationToken) is { } cancelled)
        {
            await publish.Publish(new RetroHuntCancelled(id), cancellationToken);
            await ending.EndedAsync(cancelled, cancellationToken);
            return TypedResults.Ok(RetroHuntView.Of(cancelled));
        }

        return await hunts.FindAsync(id, cancellationToken) is { } hunt
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The hunt is not running.",
                detail: $"Retro-hunt {id} is already {hunt.Status.ToString().ToLowerInvariant()}.")
            : HuntNotFound(id);
    }

    private static NotFound<ProblemDetails> HuntNotFound(Guid id) => ProblemDetailsExtensions.NotFound("retro-hunt", $"There is no retro-hunt {id}.");
}

/// <summary>A retro-hunt to start.</summary>
/// <param name="Rule">Sigma YAML: one or more rules (correlations with the rules they count); every rule's findings count.</param>
/// <param name="RuleId">Instead of <paramref name="Rule"/>: the id of a loaded rule (shipped or provisioned, as GET /v1/rules lists).</param>
/// <param name="From">Start of the range of event times (inclusive).</param>
/// <param name="To">End of the range (exclusive).</param>
public sealed record RetroHuntRequest(string? Rule, string? RuleId, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>A retro-hunt and its progress.</summary>
/// <param name="Id">The hunt's id (findings' <c>origin.huntId</c>).</param>
/// <param name="RuleId">The rule's id (the first rule's, for YAML with several).</param>
/// <param name="Title">The rule's title.</param>
/// <param name="From">Start of the range (inclusive).</param>
/// <param name="To">End of the range (exclusive).</param>
/// <param name="Status">running, completed, cancelled or failed.</param>
/// <param name="EventsScanned">Events evaluated so far.</param>
/// <param name="EventsTotal">Events in the range; absent until ingestion has counted them.</param>
/// <param name="Findings">New findings the hunt raised.</param>
/// <param name="Failure">Why it failed.</param>
/// <param name="CreatedAt">When it started.</param>
/// <param name="EndedAt">When it completed, was cancelled or failed.</param>
public sealed record RetroHuntView(
    Guid Id,
    string RuleId,
    string Title,
    DateTimeOffset From,
    DateTimeOffset To,
    RetroHuntStatus Status,
    long EventsScanned,
    long? EventsTotal,
    long Findings,
    string? Failure,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EndedAt)
{
    public static RetroHuntView Of(RetroHuntRecord h) =>
        new(h.Id, h.RuleId, h.Title, h.RangeFrom, h.RangeTo, h.Status, h.Scanned, h.Total, h.Findings, h.Failure, h.CreatedAt, h.EndedAt);
}
