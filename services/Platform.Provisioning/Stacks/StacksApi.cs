namespace Platform.Provisioning.Stacks;

/// <summary>A stack as last applied: the resources it declares.</summary>
public sealed record Stack(string Name, long Version, IReadOnlyList<StackMember> Resources, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary><c>/v1/stacks</c>: many resources in one document, applied as a whole (monitoring as code).</summary>
public static class StacksApi
{
    private const string ExampleYaml =
        """
        resources:
          - kind: log-groups
            name: aws-cloudtrail-logs
            spec:
              retentionInDays: 365
          - kind: sources
            name: cloudtrail
            spec:
              streamName: security-logs
              startingPosition: TRIM_HORIZON
              logGroup: aws-cloudtrail-logs
        """;

    public static IEndpointRouteBuilder MapStacksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/stacks").WithTags(ResourceKinds.StackKind);

        group.MapPut("/{name}", ApplyAsync)
            .RequireAuthorization(PlatformPolicies.Administer)
            .WithOperation("apply-stack", "Apply a stack (or, with ?dryRun=true, show what it would change)",
                "Body (application/yaml or application/json): {resources: [{kind, name, spec}]}, each spec the body that kind's PUT " +
                "takes (for detection-rules, {yaml, enabled} or the Sigma YAML as a string). Kinds: sources, log-groups, " +
                "detection-rules, suppression-rules. All or nothing: every resource is validated first (400 names each field, " +
                "e.g. resources[2].spec.retentionInDays), then every change commits in one transaction. Resources the stack " +
                "declared when last applied and no longer does are deleted. Answers the diff {create, update, delete, unchanged}; " +
                "201 when the stack is new, else 200. If-Match applies to the stack's version. Example:\n\n" + ExampleYaml)
            .Accepts<StackSpecDocument>(RequestBodies.Yaml, RequestBodies.Json, "text/yaml", "application/x-yaml")
            .Produces<StackApplyResult>(StatusCodes.Status200OK)
            .Produces<StackApplyResult>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        group.MapGet("/", ListAsync)
            .RequireAuthorization(PlatformPolicies.Read)
            .WithOperation("list-stacks", "List stacks", "Each stack with the resources it declared when last applied.");

        group.MapGet("/{name}", GetAsync)
            .RequireAuthorization(PlatformPolicies.Read)
            .WithOperation("get-stack", "Get a stack", "The resources it declared when last applied; ETag: its version.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{name}/history", HistoryAsync)
            .RequireAuthorization(PlatformPolicies.Read)
            .WithOperation("history-stack", "History of a stack",
                "Every apply that changed something: the resources it declared, who applied it and when.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<IResult> ApplyAsync(
        string name, bool? dryRun, HttpRequest request, StackApplier applier, ResourceStore store, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (ResourceKinds.Sources.ValidateName(name) is { } nameReason)
        {
            errors.Add("name", nameReason);
            return errors.ToProblem();
        }
        if (Precondition.From(request, out var headerError) is not { } precondition)
        {
            return headerError!;
        }
        var body = await RequestBodies.ReadAsync(request, YamlAs.Document, cancellationToken);
        if (body.Error is not null)
        {
            return body.Error;
        }
        if (StackApplier.Read(body.Node, request.HttpContext.RequestServices.GetRequiredService<ResourceSettings>(), errors) is not { } declared)
        {
            return errors.ToProblem();
        }

        try
        {
            var (result, failure) = await applier.ApplyAsync(
                name, declared, dryRun ?? false, precondition, ResourcesApi.Actor(request.HttpContext), cancellationToken);
            if (result is null)
            {
                return Precondition.Failed(failure!);
            }
            if (!result.DryRun)
            {
                request.HttpContext.Response.Headers.ETag = Precondition.ETag(result.Version);
            }
            return result.Created ? TypedResults.Created($"/v1/stacks/{name}", result) : TypedResults.Ok(result);
        }
        catch (StreamConcurrencyException)
        {
            store.Reset();
            return ResourcesApi.ConcurrentWrite(precondition);
        }
        catch (ResourceProtectedException ex)
        {
            store.Reset();
            return ResourcesApi.Protected(ex);
        }
    }

    public static async Task<Ok<List<Stack>>> ListAsync(ResourceStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListAsync(ResourceKinds.StackKind, cancellationToken)).ConvertAll(ToStack));

    public static Task<Results<Ok<Stack>, ProblemHttpResult>> GetAsync(
        string name, HttpContext http, ResourceStore store, CancellationToken cancellationToken) =>
        ResourcesApi.FindAsync(ResourceKinds.StackKind, name, ToStack, http, store, cancellationToken);

    public static async Task<Results<Ok<List<ResourceHistoryEntry<StackSpec>>>, ProblemHttpResult>> HistoryAsync(
        string name, ResourceStore store, CancellationToken cancellationToken)
    {
        var events = await store.HistoryAsync(ResourceKinds.StackKind, name, cancellationToken);
        if (events.Count == 0)
        {
            return ResourcesApi.NotFound(ResourceKinds.StackKind, name);
        }
        return TypedResults.Ok(events.Select(e => new ResourceHistoryEntry<StackSpec>(
            e.StreamVersion, "applied", e.RecordedAt, e.Metadata.Actor, new StackSpec(((StackApplied)e.Data).Resources))).ToList());
    }

    private static Stack ToStack(ResourceRow row) =>
        new(row.Name, row.Version, JsonSerializer.Deserialize<StackSpec>(row.Spec, PlatformJson.Options)!.Resources, row.UpdatedAt, row.UpdatedBy);
}

/// <summary>The shape of a stack document, for the OpenAPI description.</summary>
/// <param name="Resources">Each resource: its kind, its name, and the spec that kind's PUT takes.</param>
/// <param name="Description">Free text.</param>
public sealed record StackSpecDocument(IReadOnlyList<StackSpecDocumentEntry> Resources, string? Description);

/// <param name="Kind">sources, log-groups, detection-rules or suppression-rules.</param>
/// <param name="Name">The resource's name.</param>
/// <param name="Spec">The body that kind's PUT takes.</param>
public sealed record StackSpecDocumentEntry(string Kind, string Name, JsonElement Spec);
