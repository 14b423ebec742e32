using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Compliance.Evaluation;

namespace Platform.Compliance.Api;

/// <summary>
/// <c>/v1/config-rules/{name}</c>: re-evaluating a rule on request (StartConfigRulesEvaluation) and its run's progress
/// (DescribeConfigRuleEvaluationStatus).
/// </summary>
public static class ConfigRuleEvaluationApi
{
    public static RouteGroupBuilder MapConfigRuleEvaluationApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/config-rules").WithTags("Compliance");
        group.MapPost("/{name}/evaluate", EvaluateAsync)
            .RequireAuthorization(PlatformPolicies.Administer)
            .WithOperation("StartConfigRulesEvaluation", "Re-evaluates every resource the rule applies to; answers 202 at once, progress at evaluation-status",
                "A name holding '/' travels as %2F.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{name}/evaluation-status", StatusAsync)
            .RequireAuthorization(PlatformPolicies.Read)
            .WithOperation("DescribeConfigRuleEvaluationStatus", "The rule's current or last run: state, resources evaluated of the total, times, error",
                "A name holding '/' travels as %2F.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<Accepted<RuleEvaluationStatus>, ValidationProblem, ProblemHttpResult>> EvaluateAsync(
        string name, ComplianceDbContext db, RuleRunSignal signal, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ComplianceApi.ReadPath("name", name, out var ruleName) is { } invalid)
        {
            return invalid;
        }
        var now = clock.GetUtcNow();
        var requested = await db.Set<ConfigRuleRecord>().Where(r => r.Name == ruleName && !r.Deleted).ExecuteUpdateAsync(r => r
            .SetProperty(x => x.RunDueAt, now)
            .SetProperty(x => x.RunRequestedAt, now)
            .SetProperty(x => x.RunState, RuleRunStates.Pending), cancellationToken);
        if (requested == 0)
        {
            return NotFound(ruleName);
        }
        signal.Wake();
        var row = await db.Set<ConfigRuleRecord>().AsNoTracking().FirstAsync(r => r.Name == ruleName, cancellationToken);
        return TypedResults.Accepted($"/v1/config-rules/{Uri.EscapeDataString(ruleName)}/evaluation-status", RuleEvaluationStatus.From(row));
    }

    public static async Task<Results<Ok<RuleEvaluationStatus>, ValidationProblem, ProblemHttpResult>> StatusAsync(
        string name, ComplianceDbContext db, CancellationToken cancellationToken)
    {
        if (ComplianceApi.ReadPath("name", name, out var ruleName) is { } invalid)
        {
            return invalid;
        }
        return await db.Set<ConfigRuleRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.Name == ruleName && !r.Deleted, cancellationToken) is { } row
            ? TypedResults.Ok(RuleEvaluationStatus.From(row))
            : NotFound(ruleName);
    }

    private static ProblemHttpResult NotFound(string name) => ProblemDetailsExtensions.NoSuch("config rule", $"There is no config rule named '{name}'.");
}

/// <summary>A rule's current or last run over every resource it applies to.</summary>
/// <param name="ConfigRuleName">The rule.</param>
/// <param name="State">Pending, InProgress, Succeeded or Failed.</param>
/// <param name="LastRequestedTime">When a run was last asked for (the rule created or changed, or a request).</param>
/// <param name="LastStartedTime">When the current or last run started.</param>
/// <param name="LastFinishedTime">When the last run finished; null while one runs.</param>
/// <param name="ResourcesEvaluated">Evaluations made so far of <paramref name="ResourcesTotal"/>.</param>
/// <param name="ResourcesTotal">Evaluations the run makes (a resource each, and each account once for a periodic rule).</param>
/// <param name="NextRunAt">When a run is next due (the schedule of a periodic rule, or a pending request).</param>
/// <param name="LastErrorMessage">Why the last run failed.</param>
public sealed record RuleEvaluationStatus(
    string ConfigRuleName, string State, DateTimeOffset? LastRequestedTime, DateTimeOffset? LastStartedTime, DateTimeOffset? LastFinishedTime,
    int ResourcesEvaluated, int ResourcesTotal, DateTimeOffset? NextRunAt, string? LastErrorMessage)
{
    public static RuleEvaluationStatus From(ConfigRuleRecord row) => new(
        row.Name, row.RunState, row.RunRequestedAt, row.RunStartedAt, row.RunFinishedAt, row.RunResourcesEvaluated, row.RunResourcesTotal,
        row.RunDueAt, row.RunError);
}
