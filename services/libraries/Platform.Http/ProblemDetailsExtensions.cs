using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Http;

public static class ProblemDetailsExtensions
{
    public static IServiceCollection AddPlatformProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
        });

    /// <summary>A 400 that names the one field that was wrong and why (<see cref="ValidationErrors"/> for several).</summary>
    public static ValidationProblem FieldProblem(string field, string reason, string? title = null)
    {
        var errors = new ValidationErrors();
        errors.Add(field, reason);
        return errors.ToProblem(title);
    }

    /// <summary>
    /// A 404 titled "No such <paramref name="thing"/>." whose <paramref name="detail"/> says what was asked for: how every
    /// API answers for an item that is not there.
    /// </summary>
    public static ProblemHttpResult NoSuch(string thing, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No such {thing}.", detail: detail);

    /// <summary>
    /// A 404 titled "No such <paramref name="thing"/>." as the typed answer of an endpoint that declares
    /// <c>NotFound&lt;ProblemDetails&gt;</c> among its results.
    /// </summary>
    public static NotFound<ProblemDetails> NotFound(string thing, string detail) =>
        TypedResults.NotFound(new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = $"No such {thing}.", Detail = detail });
}
