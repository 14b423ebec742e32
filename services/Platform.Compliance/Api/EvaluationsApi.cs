using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Compliance.Evaluation;

namespace Platform.Compliance.Api;

/// <summary>
/// <c>POST /v1/evaluations</c>: PutEvaluations, for a <c>CUSTOM_LAMBDA</c> function that reports its verdicts by calling
/// back with the ResultToken it was invoked with instead of answering them.
/// </summary>
public static class EvaluationsApi
{
    public static RouteHandlerBuilder MapEvaluationsApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/v1/evaluations", PutAsync)
            .WithTags("Compliance")
            .RequireAuthorization(PlatformPolicies.Ingest)
            .WithOperation("PutEvaluations", "Records a custom rule's verdicts, as put_evaluations takes them ({\"Evaluations\": [...], \"ResultToken\": ...})",
                $"At most {PutEvaluationsRequest.MaxEvaluations} evaluations; ComplianceType one of " +
                $"{string.Join(", ", PutEvaluationsRequest.ReportableTypes)}; TestMode checks without recording.")
            .Accepts<PutEvaluationsRequest>("application/json")
            .ProducesValidationProblem();

    public static async Task<IResult> PutAsync(
        HttpContext context, ResultTokens tokens, LiveConfigRules live, ComplianceRecorder recorder, ComplianceTelemetry telemetry,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<PutEvaluationsRequest>(context, JsonBody.RequestOptions, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }
        if (body.Value is not { } request)
        {
            return ProblemDetailsExtensions.FieldProblem("body", "is required: {\"Evaluations\": [...], \"ResultToken\": \"...\"}");
        }
        var errors = new ValidationErrors();
        var evaluations = request.Read("", errors);
        ResultTokenGrant? grant = null;
        if (string.IsNullOrEmpty(request.ResultToken) || request.ResultToken.Length > 256)
        {
            errors.Add("ResultToken", "is required: the token the function was invoked with");
        }
        else if ((grant = await tokens.FindAsync(request.ResultToken, cancellationToken)) is null)
        {
            errors.Add("ResultToken", "is not a token a function was invoked with, or it has expired");
        }
        else if (live.Find(grant.ConfigRuleName) is null)
        {
            errors.Add("ResultToken", $"was issued for config rule '{grant.ConfigRuleName}', which no longer exists");
        }
        if (errors.HasErrors)
        {
            return errors.ToProblem();
        }
        if (request.TestMode != true)
        {
            foreach (var evaluation in evaluations)
            {
                telemetry.Evaluated(grant!.ConfigRuleName, evaluation.ComplianceType);
                await recorder.RecordAsync(grant.ConfigRuleName, grant.AwsAccountId, grant.AwsRegion, evaluation, cancellationToken);
            }
        }
        return TypedResults.Ok(new PutEvaluationsResponse([]));
    }
}

/// <summary>What PutEvaluations answers: the evaluations not taken (none, when the request is valid: an invalid one is a 400).</summary>
public sealed record PutEvaluationsResponse(IReadOnlyList<PutEvaluation> FailedEvaluations);
