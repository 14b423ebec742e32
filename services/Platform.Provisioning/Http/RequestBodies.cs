using Microsoft.Net.Http.Headers;

namespace Platform.Provisioning.Http;

/// <summary>A request body read as JSON; <see cref="Error"/> is the problem to answer instead when it could not be.</summary>
public sealed record RequestBody(JsonNode? Node, IResult? Error);

/// <summary>Reads JSON and YAML request bodies into one JSON shape.</summary>
public static class RequestBodies
{
    /// <summary>Larger bodies are refused: a resource or a stack is a document, not a data set.</summary>
    public const int MaxBytes = 1024 * 1024;

    public const string Json = "application/json";
    public const string Yaml = "application/yaml";
    public static readonly IReadOnlyList<string> YamlMediaTypes = [Yaml, "text/yaml", "application/x-yaml"];

    public static bool IsYaml(HttpRequest request) => MediaType(request) is { } type && YamlMediaTypes.Contains(type);

    /// <summary>
    /// The body as JSON. JSON bodies always; YAML bodies when <paramref name="yaml"/> says what to do with the text:
    /// <see cref="YamlAs.Document"/> converts the document, <see cref="YamlAs.String"/> keeps the text as one JSON string.
    /// </summary>
    public static async Task<RequestBody> ReadAsync(HttpRequest request, YamlAs yaml, CancellationToken cancellationToken)
    {
        var type = MediaType(request);
        var isYaml = type is not null && YamlMediaTypes.Contains(type);
        if (!(type is null or Json || type.EndsWith("+json", StringComparison.Ordinal) || (isYaml && yaml != YamlAs.Refused)))
        {
            return new(null, TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type.",
                detail: yaml == YamlAs.Refused ? $"Send {Json}." : $"Send {Json} or {Yaml}."));
        }

        if (await Platform.Http.RequestBody.ReadAsync(request.HttpContext, MaxBytes, cancellationToken) is not { } bytes)
        {
            return new(null, Platform.Http.RequestBody.TooLarge(MaxBytes));
        }
        if (JsonBody.TryDecode(bytes, out var text) is { } notText)
        {
            return new(null, notText);
        }

        if (isYaml)
        {
            if (yaml == YamlAs.String)
            {
                return new(JsonValue.Create(text), null);
            }
            try
            {
                return new(YamlJson.Parse(text), null);
            }
            catch (YamlException ex)
            {
                return new(null, ProblemDetailsExtensions.FieldProblem("body", $"is not valid YAML: line {ex.Start.Line}: {ex.Message}"));
            }
        }

        return JsonBody.TryParse(bytes, out var node) is { } notJson ? new(null, notJson) : new(node, null);
    }

    private static string? MediaType(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant() : null;
}

/// <summary>What a YAML body means to an endpoint.</summary>
public enum YamlAs
{
    /// <summary>Only JSON is accepted.</summary>
    Refused,

    /// <summary>The YAML document is the JSON document it represents.</summary>
    Document,

    /// <summary>The YAML text is itself the value (a Sigma rule).</summary>
    String,
}
