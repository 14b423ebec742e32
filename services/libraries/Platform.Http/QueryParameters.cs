using System.Globalization;

namespace Platform.Http;

/// <summary>Query parameters read by hand, so a bad one gets a problem that names it.</summary>
public static class QueryParameters
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static string? Text(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) && !string.IsNullOrEmpty(values.ToString()) ? values.ToString() : null;

    /// <returns>Null on success, otherwise the problem to answer.</returns>
    public static IResult? TryTime(HttpRequest request, string name, out DateTimeOffset? value)
    {
        value = null;
        if (Text(request, name) is not { } text)
        {
            return null;
        }
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return ProblemDetailsExtensions.FieldProblem(name, $"'{Shorten(text)}' is not an ISO 8601 date and time");
        }
        value = parsed;
        return null;
    }

    /// <summary>The <c>from</c>, <c>to</c> and <c>limit</c> every list endpoint takes.</summary>
    /// <returns>Null on success, otherwise the problem to answer.</returns>
    public static IResult? TryPageWindow(HttpRequest request, out DateTimeOffset? from, out DateTimeOffset? to, out int limit)
    {
        to = null;
        limit = DefaultLimit;
        return TryTime(request, "from", out from) ?? TryTime(request, "to", out to) ?? TryLimit(request, out limit);
    }

    private static IResult? TryLimit(HttpRequest request, out int limit)
    {
        limit = DefaultLimit;
        if (Text(request, "limit") is not { } text)
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit)
        {
            return ProblemDetailsExtensions.FieldProblem("limit", $"must be a whole number from 1 to {MaxLimit}");
        }
        return null;
    }

    public static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
