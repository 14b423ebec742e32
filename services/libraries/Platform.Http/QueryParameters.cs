namespace Platform.Http;

/// <summary>
/// Query parameters read by hand, so a bad one gets a problem that names it. Endpoints that declare their parameters
/// (for the OpenAPI document) pass the bound text; the others pass the request.
/// </summary>
public static class QueryParameters
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static string? Text(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) ? Present(values.ToString()) : null;

    /// <summary>
    /// A text filter. A NUL character is refused: no stored text holds one (Postgres text cannot), and the database
    /// would fail the query rather than match nothing.
    /// </summary>
    /// <returns>Null on success, otherwise the problem to answer.</returns>
    public static ValidationProblem? TryText(string name, string? text, out string? value)
    {
        value = Present(text);
        return value is not null && value.Contains('\0', StringComparison.Ordinal)
            ? ProblemDetailsExtensions.FieldProblem(name, "must not contain the NUL character")
            : null;
    }

    /// <inheritdoc cref="TryText(string, string?, out string?)"/>
    public static ValidationProblem? TryText(HttpRequest request, string name, out string? value) =>
        TryText(name, Text(request, name), out value);

    /// <returns>Null on success, otherwise the problem to answer.</returns>
    public static ValidationProblem? TryTime(string name, string? text, out DateTimeOffset? value)
    {
        value = null;
        if (Present(text) is not { } present)
        {
            return null;
        }
        if (!DateTimeOffset.TryParse(present, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return ProblemDetailsExtensions.FieldProblem(name, $"'{Shorten(present)}' is not an ISO 8601 date and time");
        }
        value = parsed;
        return null;
    }

    /// <summary>The <c>from</c>, <c>to</c> and <c>limit</c> every list endpoint takes.</summary>
    /// <returns>Null on success, otherwise the problem to answer.</returns>
    public static ValidationProblem? TryPageWindow(HttpRequest request, out DateTimeOffset? from, out DateTimeOffset? to, out int limit) =>
        TryPageWindow(Text(request, "from"), Text(request, "to"), Text(request, "limit"), out from, out to, out limit);

    /// <inheritdoc cref="TryPageWindow(HttpRequest, out DateTimeOffset?, out DateTimeOffset?, out int)"/>
    public static ValidationProblem? TryPageWindow(
        string? fromText, string? toText, string? limitText, out DateTimeOffset? from, out DateTimeOffset? to, out int limit)
    {
        to = null;
        limit = DefaultLimit;
        return TryTime("from", fromText, out from) ?? TryTime("to", toText, out to) ?? TryLimit(limitText, out limit);
    }

    private static ValidationProblem? TryLimit(string? text, out int limit)
    {
        limit = DefaultLimit;
        if (Present(text) is not { } present)
        {
            return null;
        }
        if (!int.TryParse(present, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit)
        {
            return ProblemDetailsExtensions.FieldProblem("limit", $"must be a whole number from 1 to {MaxLimit}");
        }
        return null;
    }

    private static string? Present(string? text) => string.IsNullOrEmpty(text) ? null : text;

    public static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
