namespace Platform.Http;

/// <summary>
/// A write's conditions on the current version of what it changes (RFC 9110 section 13.1): <c>If-Match</c>
/// (<c>*</c>: it must exist; tags: compared strongly with its current tag) and <c>If-None-Match</c> (<c>*</c>: it must
/// not exist; tags: compared weakly). Every API reads and checks them here, so they follow one rule.
/// </summary>
public sealed record Precondition(TagCondition? IfMatch, TagCondition? IfNoneMatch)
{
    public static readonly Precondition None = new(null, null);

    public bool IsEmpty => IfMatch is null && IfNoneMatch is null;

    /// <summary>The ETag response header of a version.</summary>
    public static string ETag(long version) => EntityTag.Of(version).ToString();

    /// <summary>Null with <paramref name="problem"/> set when a header is neither <c>*</c> nor a list of entity tags.</summary>
    public static Precondition? From(HttpRequest request, out ValidationProblem? problem)
    {
        problem = null;
        var ifMatch = EntityTag.ParseCondition(request.Headers.IfMatch, out var ifMatchValid);
        var ifNoneMatch = EntityTag.ParseCondition(request.Headers.IfNoneMatch, out var ifNoneMatchValid);
        var invalid = !ifMatchValid ? "If-Match" : !ifNoneMatchValid ? "If-None-Match" : null;
        if (invalid is not null)
        {
            problem = ProblemDetailsExtensions.FieldProblem(invalid, "must be * or a list of entity tags, each quoted as the ETag header gives it (such as \"3\")");
            return null;
        }
        return ifMatch is null && ifNoneMatch is null ? None : new Precondition(ifMatch, ifNoneMatch);
    }

    /// <summary>Why the condition fails at <paramref name="currentVersion"/> (null: the resource does not exist); null when it holds.</summary>
    public string? Check(long? currentVersion)
    {
        if (currentVersion is not { } version)
        {
            return IfMatch is { } expected ? $"If-Match: {expected} but the resource does not exist." : null;
        }
        var current = EntityTag.Of(version);
        if (IfMatch is { } ifMatch && !ifMatch.StrongMatches(current))
        {
            var weak = ifMatch.Tags.Any(t => t.IsWeak && t.Opaque == current.Opaque) ? " (If-Match compares strongly: a weak tag never matches)" : "";
            return $"If-Match: {ifMatch} but the resource is at {current}{weak}.";
        }
        if (IfNoneMatch is { } ifNoneMatch && ifNoneMatch.WeakMatches(current))
        {
            return $"If-None-Match: {ifNoneMatch} but the resource exists, at {current}.";
        }
        return null;
    }

    public static ProblemHttpResult Failed(string reason) =>
        TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The resource is not at the version the request expected.", detail: reason);

    /// <summary>428: the write needs <c>If-Match</c> (<paramref name="how"/> says where its ETag comes from).</summary>
    public static ProblemHttpResult Required(string how) =>
        TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match is required.", detail: how);
}
