using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Platform.Contracts;

namespace Platform.Http;

/// <summary>A request body read as <typeparamref name="T"/>; <see cref="Problem"/> is the answer instead when it could not be.</summary>
public sealed record JsonBody<T>(T? Value, IResult? Problem);

/// <summary>
/// Request bodies read the one way every API reads them: UTF-8 only (invalid bytes are refused, not replaced),
/// at most <see cref="MaxDepth"/> levels deep, numbers only where numbers are declared, and every refusal a 400
/// naming the body or the field.
/// </summary>
public static class JsonBody
{
    /// <summary>Deeper documents are refused: no request the platform takes nests this deep.</summary>
    public const int MaxDepth = 64;

    /// <summary>The bodies free text and small commands travel in (a triage, a key); documents take their own limit.</summary>
    public const int DefaultMaxBytes = 64 * 1024;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// <paramref name="options"/> for reading requests: a string where a number is declared is a wrong type
    /// (the web defaults would read <c>"30"</c> as 30), and the depth is bounded.
    /// </summary>
    public static JsonSerializerOptions ForRequests(JsonSerializerOptions options) =>
        new(options) { NumberHandling = JsonNumberHandling.Strict, MaxDepth = MaxDepth };

    /// <summary>
    /// The platform's JSON (<see cref="PlatformJson.Options"/>) for reading requests: the one instance every API reads
    /// its bodies with, so no endpoint reads numbers or depth another way.
    /// </summary>
    public static readonly JsonSerializerOptions RequestOptions = ForRequests(PlatformJson.Options);

    /// <summary>Reads the body as <typeparamref name="T"/>; an empty body is a null value (the caller decides whether one is required).</summary>
    public static async Task<JsonBody<T>> ReadAsync<T>(
        HttpContext context, JsonSerializerOptions options, CancellationToken cancellationToken, long maxBytes = DefaultMaxBytes)
    {
        if (await RequestBody.ReadAsync(context, maxBytes, cancellationToken) is not { } bytes)
        {
            return new(default, RequestBody.TooLarge(maxBytes));
        }
        JsonNode? node = null;
        if ((TryDecode(bytes, out _) ?? TryParse(bytes, out node)) is { } problem)
        {
            return new(default, problem);
        }
        if (node is null)
        {
            return new(default, null);
        }
        try
        {
            return new(node.Deserialize<T>(options), null);
        }
        catch (JsonException ex)
        {
            var (field, reason) = Describe(ex, "");
            return new(default, ProblemDetailsExtensions.FieldProblem(field, reason));
        }
    }

    /// <summary>The body as text; a problem naming the body and the offset of the first byte that is not UTF-8.</summary>
    public static ValidationProblem? TryDecode(byte[] bytes, out string text)
    {
        try
        {
            text = Utf8.GetString(bytes);
            return null;
        }
        catch (DecoderFallbackException ex)
        {
            text = "";
            return ProblemDetailsExtensions.FieldProblem("body", $"is not valid UTF-8 (at byte {ex.Index})");
        }
    }

    /// <summary>The body as a JSON node (null when empty); a problem naming the body, the line and why when it is not JSON or nests too deep.</summary>
    public static ValidationProblem? TryParse(byte[] bytes, out JsonNode? node)
    {
        node = null;
        if (bytes.Length == 0)
        {
            return null;
        }
        // The reader walks the document without recursion and stops at the depth limit, so it can say which limit.
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (JsonException ex)
        {
            return ProblemDetailsExtensions.FieldProblem("body", OpensPastTheLimit(bytes, reader.CurrentDepth, reader.BytesConsumed)
                ? $"nests deeper than {MaxDepth} levels, the limit"
                : $"is not valid JSON: line {(ex.LineNumber ?? 0) + 1}: {ex.Message}");
        }
        node = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth });
        return null;
    }

    /// <summary>Whether the reader stopped at an object or array that would open level <see cref="MaxDepth"/> + 1.</summary>
    private static bool OpensPastTheLimit(byte[] bytes, int depth, long consumed)
    {
        var next = bytes.AsSpan((int)consumed).TrimStart(" \t\r\n"u8);
        return depth >= MaxDepth - 1 && next.Length > 0 && next[0] is (byte)'[' or (byte)'{';
    }

    /// <summary>The field (under <paramref name="prefix"/>) a deserialization error is about, and why.</summary>
    public static (string Field, string Reason) Describe(JsonException ex, string prefix)
    {
        var path = (ex.Path ?? "$").TrimStart('$').TrimStart('.');
        var field = path.Length == 0 ? (prefix.Length == 0 ? "body" : prefix) : ValidationErrors.Field(prefix, path);
        return (field, "has the wrong type or format");
    }
}
