using Platform.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Net.Http.Headers;
using YamlDotNet.Core;

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

        string text;
        try
        {
            text = await ReadTextAsync(request, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            return new(null, TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The body is too large.", detail: ex.Message));
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
                return new(null, Invalid($"is not valid YAML: line {ex.Start.Line}: {ex.Message}"));
            }
        }

        try
        {
            return new(text.Length == 0 ? null : JsonNode.Parse(text), null);
        }
        catch (JsonException ex)
        {
            return new(null, Invalid($"is not valid JSON: line {(ex.LineNumber ?? 0) + 1}: {ex.Message}"));
        }
    }

    private static IResult Invalid(string reason)
    {
        var errors = new ValidationErrors();
        errors.Add("body", reason);
        return errors.ToProblem();
    }

    private static string? MediaType(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant() : null;

    private static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            throw new InvalidDataException($"At most {MaxBytes} bytes.");
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new InvalidDataException($"At most {MaxBytes} bytes.");
            }
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
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
