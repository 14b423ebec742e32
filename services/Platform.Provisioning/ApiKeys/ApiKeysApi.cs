using Platform.ServiceDefaults.Configuration;
using System.Security.Cryptography;
using Platform.Messaging;

namespace Platform.Provisioning.ApiKeys;

/// <summary>Issue an API key: a name (1 to 128 letters, digits, '.', '_' or '-') and a role (admin, analyst or ingest).</summary>
public sealed record IssueApiKeyRequest(string? Name, string? Role);

/// <summary>A key just issued. <see cref="Key"/> is shown this once: only its SHA-256 is kept.</summary>
public sealed record IssuedApiKey(string Name, string Role, string Key, long Version, DateTimeOffset CreatedAt);

/// <summary>A key as listed: never the key itself.</summary>
public sealed record ApiKey(string Name, string Role, long Version, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>
/// <c>/v1/api-keys</c>: issue, list, revoke. Admin only. Issued and revoked keys are published
/// (<see cref="ApiKeyIssued"/>, <see cref="ApiKeyRevoked"/>) and every service instance applies them within seconds;
/// this instance applies them at once.
/// </summary>
public static partial class ApiKeysApi
{
    public const string KeyPrefix = "plk_";

    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/api-keys").WithTags(ProvisioningKinds.ApiKeys).RequireAuthorization(PlatformPolicies.Administer);

        group.MapPost("/", IssueAsync)
            .WithOperation("issue-api-key", "Issue an API key",
                "Body: {\"name\": \"soc-reader\", \"role\": \"analyst\"}. Answers 201 with the key (plk_...), shown this once. " +
                "The role: admin (everything), analyst (read everything, triage findings), ingest (ingest endpoints only). " +
                "409 when a key of that name exists (revoke it first).")
            .Accepts<IssueApiKeyRequest>(RequestBodies.Json)
            .Produces<IssuedApiKey>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                if (operation.RequestBody?.Content is { } content && content.TryGetValue(RequestBodies.Json, out var json))
                {
                    json.Example = JsonSerializer.SerializeToNode(new IssueApiKeyRequest("soc-reader", PlatformRoles.Analyst), PlatformJson.Options);
                }
                return Task.CompletedTask;
            });

        group.MapGet("/", ListAsync)
            .WithOperation("list-api-keys", "List API keys", "Names, roles and when and by whom each was issued; never the keys.");

        group.MapGet("/{name}", GetAsync)
            .WithOperation("get-api-key", "Get an API key's name and role", "Never the key itself. ETag: its version.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{name}", RevokeAsync)
            .WithOperation("revoke-api-key", "Revoke an API key",
                "Every service refuses the key within seconds (this one at once). Honours If-Match. 404 when absent.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        group.MapGet("/{name}/history", HistoryAsync)
            .WithOperation("history-api-key", "History of an API key", "Issued and revoked, by whom and when.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<IResult> IssueAsync(HttpContext http, ResourceStore store, LiveApiKeys liveKeys, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<IssueApiKeyRequest>(http, JsonBody.RequestOptions, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }
        if (body.Value is not { } request)
        {
            return ProblemDetailsExtensions.FieldProblem("body", "is required: {\"name\": \"...\", \"role\": \"...\"}");
        }
        var errors = new ValidationErrors();
        var name = request.Name?.Trim() ?? "";
        if (!KeyName().IsMatch(name))
        {
            errors.Add("name", "must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        else if (name == ApiKeyAuthenticationExtensions.BootstrapAdminKeyName)
        {
            errors.Add("name", $"'{name}' is reserved for the bootstrap admin key");
        }
        var role = request.Role?.Trim() ?? "";
        if (!PlatformRoles.IsKnown(role))
        {
            errors.Add("role", $"unknown role '{request.Role}': use {string.Join(", ", PlatformRoles.All)}");
        }
        if (errors.HasErrors)
        {
            return errors.ToProblem();
        }

        var current = await store.FindAsync(ProvisioningKinds.ApiKeys, name, cancellationToken);
        if (current is not null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The key exists.",
                detail: $"An API key named '{name}' exists; revoke it (DELETE /v1/api-keys/{name}) to issue a new one.");
        }

        var key = KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var hash = Convert.ToHexStringLower(ApiKeyRegistry.Hash(key));
        var spec = JsonSerializer.Serialize(new ApiKeySpec(role, hash), PlatformJson.Options);
        ApiKeyIssued? issued = null;
        try
        {
            var version = await store.StageAsync(ProvisioningKinds.ApiKeys, name, null,
                v => issued = new ApiKeyIssued(name, role, hash, v), spec, ResourcesApi.Actor(http), cancellationToken);
            await store.SaveAsync(cancellationToken);
            liveKeys.Apply(issued!);
            var row = (await store.FindAsync(ProvisioningKinds.ApiKeys, name, cancellationToken))!;
            http.Response.Headers.ETag = Precondition.ETag(version);
            return TypedResults.Created($"/v1/api-keys/{name}", new IssuedApiKey(name, role, key, version, row.CreatedAt));
        }
        catch (StreamConcurrencyException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The key exists.",
                detail: $"Another request issued an API key named '{name}' at the same time.");
        }
    }

    public static async Task<Ok<List<ApiKey>>> ListAsync(ResourceStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListAsync(ProvisioningKinds.ApiKeys, cancellationToken)).ConvertAll(ToApiKey));

    public static Task<Results<Ok<ApiKey>, ProblemHttpResult>> GetAsync(
        string name, HttpContext http, ResourceStore store, CancellationToken cancellationToken) =>
        ResourcesApi.FindAsync(ProvisioningKinds.ApiKeys, name, ToApiKey, http, store, cancellationToken);

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RevokeAsync(
        string name, HttpRequest request, ResourceStore store, LiveApiKeys liveKeys, CancellationToken cancellationToken)
    {
        if (Precondition.From(request, out var headerError) is not { } precondition)
        {
            return headerError!;
        }
        var current = await store.FindAsync(ProvisioningKinds.ApiKeys, name, cancellationToken);
        if (current is null)
        {
            return ResourcesApi.NotFound(ProvisioningKinds.ApiKeys, name);
        }
        if (precondition.Check(current.Version) is { } failed)
        {
            return Precondition.Failed(failed);
        }
        ApiKeyRevoked? revoked = null;
        try
        {
            await store.StageAsync(ProvisioningKinds.ApiKeys, name, current,
                v => revoked = new ApiKeyRevoked(name, v), null, ResourcesApi.Actor(request.HttpContext), cancellationToken);
            await store.SaveAsync(cancellationToken);
        }
        catch (StreamConcurrencyException)
        {
            return Precondition.Failed("Another request changed the key first.");
        }
        liveKeys.Apply(revoked!);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<List<ResourceHistoryEntry<string>>>, ProblemHttpResult>> HistoryAsync(
        string name, ResourceStore store, CancellationToken cancellationToken)
    {
        var events = await store.HistoryAsync(ProvisioningKinds.ApiKeys, name, cancellationToken);
        if (events.Count == 0)
        {
            return ResourcesApi.NotFound(ProvisioningKinds.ApiKeys, name);
        }
        // The "spec" of a key's history is its role: the hash is of no use to a reader.
        return TypedResults.Ok(events.Select(e => e.Data switch
        {
            ApiKeyIssued issued => new ResourceHistoryEntry<string>(e.StreamVersion, "issued", e.RecordedAt, e.Metadata.Actor, issued.Role),
            _ => new ResourceHistoryEntry<string>(e.StreamVersion, "revoked", e.RecordedAt, e.Metadata.Actor, null),
        }).ToList());
    }

    private static ApiKey ToApiKey(ResourceRow row) =>
        new(row.Name, JsonSerializer.Deserialize<ApiKeySpec>(row.Spec, PlatformJson.Options)!.Role, row.Version, row.CreatedAt, row.CreatedBy);

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex KeyName();
}
