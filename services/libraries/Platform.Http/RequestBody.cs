using Microsoft.AspNetCore.Http.Features;

namespace Platform.Http;

/// <summary>Reads a request body whole, up to a limit: a larger body is refused before it is buffered.</summary>
public static class RequestBody
{
    /// <returns>The body, or null when it is larger than <paramref name="limit"/>.</returns>
    public static async Task<byte[]?> ReadAsync(HttpContext context, long limit, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.ContentLength > limit)
        {
            return null;
        }
        // The server's own limit (30 MB in Kestrel) gives way to the configured one, checked here.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit + 1;
        }
        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 64 * 1024);
        var chunk = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        return buffer.ToArray();
    }

    /// <param name="limit">The limit in bytes.</param>
    /// <param name="setting">The configuration key that sets the limit, when one does.</param>
    public static ProblemHttpResult TooLarge(long limit, string? setting = null) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "The request body is too large.",
            detail: $"body: larger than the limit of {limit} bytes{(setting is null ? "" : $" ({setting})")}");
}
