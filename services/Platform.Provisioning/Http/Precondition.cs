using Platform.Http;
using System.Globalization;

namespace Platform.Provisioning.Http;

/// <summary>
/// A write's conditions on the resource's current version, from <c>If-Match</c> (<c>"&lt;version&gt;"</c> or
/// <c>*</c>: it must exist) and <c>If-None-Match: *</c> (it must not exist).
/// </summary>
public sealed record Precondition(long? IfMatchVersion, bool IfMatchAny, bool IfNoneMatchAny)
{
    public static readonly Precondition None = new(null, false, false);

    public bool IsEmpty => this == None;

    /// <summary>The ETag of a version: the stream version, quoted.</summary>
    public static string ETag(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>Null with <paramref name="error"/> set when a header is not an ETag this API issued.</summary>
    public static Precondition? From(HttpRequest request, out ValidationErrors? error)
    {
        error = null;
        long? version = null;
        var any = false;
        var ifMatch = request.Headers.IfMatch.ToString().Trim();
        if (ifMatch == "*")
        {
            any = true;
        }
        else if (ifMatch.Length > 0)
        {
            var tag = ifMatch.StartsWith("W/", StringComparison.Ordinal) ? ifMatch[2..] : ifMatch;
            if (tag.Length > 2 && tag[0] == '"' && tag[^1] == '"'
                && long.TryParse(tag[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                version = parsed;
            }
            else
            {
                error = new ValidationErrors();
                error.Add("If-Match", "must be an ETag this API returned (a quoted version such as \"3\") or *");
                return null;
            }
        }

        var ifNoneMatch = request.Headers.IfNoneMatch.ToString().Trim();
        if (ifNoneMatch.Length > 0 && ifNoneMatch != "*")
        {
            error = new ValidationErrors();
            error.Add("If-None-Match", "only * is supported on writes (create only if absent)");
            return null;
        }
        return new Precondition(version, any, ifNoneMatch == "*");
    }

    /// <summary>Why the condition fails at <paramref name="currentVersion"/> (null: the resource does not exist); null when it holds.</summary>
    public string? Check(long? currentVersion) => this switch
    {
        { IfMatchAny: true } when currentVersion is null => "If-Match: * but the resource does not exist.",
        { IfMatchVersion: { } expected } when currentVersion is null => $"If-Match {ETag(expected)} but the resource does not exist.",
        { IfMatchVersion: { } expected } when expected != currentVersion => $"If-Match {ETag(expected)} but the resource is at {ETag(currentVersion.Value)}.",
        { IfNoneMatchAny: true } when currentVersion is not null => $"If-None-Match: * but the resource exists, at {ETag(currentVersion.Value)}.",
        _ => null,
    };

    public static ProblemHttpResult Failed(string reason) =>
        TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The resource is not at the version the request expected.", detail: reason);
}
