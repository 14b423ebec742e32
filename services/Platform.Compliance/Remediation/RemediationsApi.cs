using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Platform.Compliance.Remediation;

/// <summary>
/// <c>/v1/remediations/{rule}</c>: running a rule's remediation on chosen resources, as AWS Config's
/// <c>StartRemediationExecution</c> takes them, and each resource's execution state, as
/// <c>DescribeRemediationExecutionStatus</c> gives it. Remediations are defined through provisioning (kind <c>remediations</c>).
/// </summary>
public static class RemediationsApi
{
    /// <summary>StartRemediationExecution's limit on resource keys per request.</summary>
    public const int MaxResourceKeys = 100;

    /// <summary>AWS's limits on a resource key's fields.</summary>
    public const int MaxResourceTypeLength = 256;

    public const int MaxResourceIdLength = 768;

    public static RouteGroupBuilder MapRemediationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/remediations").WithTags("Remediations");
        group.MapPost("/{rule}/execute", ExecuteAsync)
            .RequireAuthorization(PlatformPolicies.Administer)
            .WithOperation("StartRemediationExecution", "Run the rule's remediation on the given resources (like AWS Config's StartRemediationExecution)",
                $$"""Body: {"resourceKeys": [{"resourceType", "resourceId"}]}, 1 to {{MaxResourceKeys}} keys. 202 with each resource's acceptance; a resource whose remediation is queued or running already is not accepted again. One attempt, outside the automatic attempts budget.""")
            .Accepts<StartRemediationExecutionRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{rule}/executions", ExecutionsAsync)
            .RequireAuthorization(PlatformPolicies.Read)
            .WithOperation("DescribeRemediationExecutionStatus", "Each resource's remediation state: QUEUED, IN_PROGRESS, SUCCEEDED or FAILED, attempts, last error, flagged",
                $"limit (1 to {QueryParameters.MaxLimit}); page with nextToken (the previous page's NextToken).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<Accepted<StartRemediationExecutionResponse>, ValidationProblem, NotFound<ProblemDetails>, ProblemHttpResult>> ExecuteAsync(
        string rule, HttpContext http, LiveRemediations configurations, RemediationExecutions executions, RemediationSignal signal,
        CancellationToken cancellationToken)
    {
        if (configurations.Find(rule) is not { } configuration)
        {
            return NotFound(rule);
        }
        var body = await JsonBody.ReadAsync<StartRemediationExecutionRequest>(http, JsonBody.RequestOptions, cancellationToken);
        switch (body.Problem)
        {
            case ValidationProblem invalid:
                return invalid;
            case ProblemHttpResult problem:
                return problem;
        }
        var errors = new ValidationErrors();
        var keys = body.Value?.ResourceKeys;
        if (keys is null || keys.Count == 0)
        {
            errors.Add("resourceKeys", "is required: 1 or more {\"resourceType\", \"resourceId\"}");
        }
        else if (keys.Count > MaxResourceKeys)
        {
            errors.Add("resourceKeys", $"has {keys.Count} keys: at most {MaxResourceKeys}");
        }
        else
        {
            for (var i = 0; i < keys.Count; i++)
            {
                Check(errors, $"resourceKeys[{i}].resourceType", keys[i]?.ResourceType, MaxResourceTypeLength);
                Check(errors, $"resourceKeys[{i}].resourceId", keys[i]?.ResourceId, MaxResourceIdLength);
            }
        }
        if (errors.HasErrors)
        {
            return errors.ToProblem();
        }

        var actor = http.User.FindFirstValue(ClaimTypes.Name) ?? "unknown";
        var results = new List<RemediationExecutionAcceptance>();
        foreach (var key in keys!.OfType<RemediationResourceKey>().DistinctBy(k => (k.ResourceType, k.ResourceId)))
        {
            RemediationRequestOutcome outcome;
            try
            {
                outcome = await executions.RequestAsync(
                    configuration, new RemediationResource(key.ResourceType!, key.ResourceId!, null, null), null, actor, cancellationToken);
            }
            catch (StreamConcurrencyException)
            {
                // Another request (or a verdict) created this resource's execution at the same moment: that one runs.
                outcome = RemediationRequestOutcome.AlreadyPending;
            }
            results.Add(outcome == RemediationRequestOutcome.Queued
                ? new RemediationExecutionAcceptance(key, true, null)
                : new RemediationExecutionAcceptance(key, false, "a remediation of this resource is queued or in progress already"));
        }
        signal.Wake();
        return TypedResults.Accepted($"/v1/remediations/{Uri.EscapeDataString(rule)}/executions", new StartRemediationExecutionResponse(results));
    }

    public static async Task<Results<Ok<DescribeRemediationExecutionStatusResponse>, ValidationProblem, NotFound<ProblemDetails>>> ExecutionsAsync(
        string rule, LiveRemediations configurations, RemediationExecutions executions, [FromQuery] string? limit, [FromQuery] string? nextToken,
        CancellationToken cancellationToken)
    {
        if (QueryParameters.TryPageWindow(null, null, limit, out _, out _, out var take) is { } badLimit)
        {
            return badLimit;
        }
        (string, string)? after = null;
        if (nextToken is not null)
        {
            if (!PageCursor.TryDecode(nextToken, out DateTimeOffset _, out string key) || key.Split('\0') is not [var type, var id])
            {
                return ProblemDetailsExtensions.FieldProblem("nextToken", "is not a token this API returned");
            }
            after = (type, id);
        }
        var rows = await executions.ListAsync(rule, after, take + 1, cancellationToken);
        if (rows.Count == 0 && after is null && configurations.Find(rule) is null)
        {
            return NotFound(rule);
        }
        var page = Page.Of(rows, take, RemediationExecutionStatus.From, r => PageCursor.Encode(DateTimeOffset.UnixEpoch, $"{r.ResourceType}\0{r.ResourceId}"));
        return TypedResults.Ok(new DescribeRemediationExecutionStatusResponse(page.Items, page.NextCursor));
    }

    /// <summary>A resource key's field: present, not too long, no control character (no resource's type or id has one).</summary>
    private static void Check(ValidationErrors errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "is required");
        }
        else if (value.Length > maxLength)
        {
            errors.Add(field, $"is {value.Length} characters long: at most {maxLength}");
        }
        else if (value.Any(char.IsControl))
        {
            errors.Add(field, "must not contain control characters");
        }
    }

    private static NotFound<ProblemDetails> NotFound(string rule) =>
        ProblemDetailsExtensions.NotFound("remediation", $"Rule '{rule}' has no remediation configuration.");
}

/// <summary>StartRemediationExecution's body.</summary>
public sealed record StartRemediationExecutionRequest(IReadOnlyList<RemediationResourceKey?>? ResourceKeys);

/// <summary>A resource as Config names it in remediation calls.</summary>
public sealed record RemediationResourceKey(
    [property: JsonPropertyName("resourceType")] string? ResourceType,
    [property: JsonPropertyName("resourceId")] string? ResourceId);

/// <summary>Whether each resource's remediation was started; <c>Reason</c> says why not.</summary>
public sealed record StartRemediationExecutionResponse(IReadOnlyList<RemediationExecutionAcceptance> Results);

/// <summary>One resource of a StartRemediationExecution request.</summary>
public sealed record RemediationExecutionAcceptance(RemediationResourceKey ResourceKey, bool Accepted, string? Reason);

/// <summary>DescribeRemediationExecutionStatus's answer.</summary>
public sealed record DescribeRemediationExecutionStatusResponse(
    [property: JsonPropertyName("RemediationExecutionStatuses")] IReadOnlyList<RemediationExecutionStatus> RemediationExecutionStatuses,
    [property: JsonPropertyName("NextToken")] string? NextToken);

/// <summary>
/// One resource's remediation, in AWS's field names, with the platform's additions: the attempts of the current
/// execution, the automatic attempts of the window, the last error, whether it is flagged (automatic attempts spent,
/// the resource left non-compliant) and when the next attempt is due.
/// </summary>
public sealed record RemediationExecutionStatus(
    [property: JsonPropertyName("ResourceKey")] RemediationResourceKey ResourceKey,
    [property: JsonPropertyName("State")] string State,
    [property: JsonPropertyName("Automatic")] bool Automatic,
    [property: JsonPropertyName("Attempts")] int Attempts,
    [property: JsonPropertyName("AutomaticAttemptsInWindow")] int AutomaticAttemptsInWindow,
    [property: JsonPropertyName("Flagged")] bool Flagged,
    [property: JsonPropertyName("LastError")] string? LastError,
    [property: JsonPropertyName("InvocationTime")] DateTimeOffset InvocationTime,
    [property: JsonPropertyName("LastUpdatedTime")] DateTimeOffset LastUpdatedTime,
    [property: JsonPropertyName("NextAttemptTime")] DateTimeOffset? NextAttemptTime)
{
    public static RemediationExecutionStatus From(RemediationExecution row) => new(
        new RemediationResourceKey(row.ResourceType, row.ResourceId), row.State, row.Automatic, row.Attempt, row.WindowAttempts, row.Flagged,
        row.LastError, row.InvokedAt, row.UpdatedAt, row.State == RemediationStates.Queued ? row.NextAttemptAt : null);
}
