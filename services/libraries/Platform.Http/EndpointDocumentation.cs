using Microsoft.AspNetCore.Builder;

namespace Platform.Http;

/// <summary>
/// How every endpoint appears in the OpenAPI document: an operation name (its <c>operationId</c>, also the endpoint's
/// name for links), a one-line summary and, mostly, a description of its parameters and answers.
/// </summary>
public static class EndpointDocumentation
{
    /// <param name="endpoint">The endpoint (or group) to document.</param>
    /// <param name="name">The operation name, unique in the service.</param>
    /// <param name="summary">What it does, in a line.</param>
    /// <param name="description">Its parameters, answers and limits; none when the summary says it all.</param>
    public static TBuilder WithOperation<TBuilder>(this TBuilder endpoint, string name, string summary, string? description = null)
        where TBuilder : IEndpointConventionBuilder
    {
        endpoint.WithName(name).WithSummary(summary);
        return description is null ? endpoint : endpoint.WithDescription(description);
    }
}
