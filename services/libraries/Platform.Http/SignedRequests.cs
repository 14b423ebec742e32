using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Platform.Http;

/// <summary>
/// How the platform's calls to webhooks and functions are signed and read: a JSON POST carrying the time and an
/// HMAC-SHA256 of time and body, so a receiver can check who sent it and when; an answer read only up to a bound.
/// </summary>
public static class SignedRequests
{
    /// <summary>Unix seconds of the request; part of what is signed, so a captured request cannot be replayed later as new.</summary>
    public const string TimestampHeader = "X-Platform-Timestamp";

    /// <summary><c>sha256=&lt;hex HMAC-SHA256 of "&lt;timestamp&gt;.&lt;body&gt;"&gt;</c> under the target's signing secret.</summary>
    public const string SignatureHeader = "X-Platform-Signature";

    /// <summary>A JSON POST of <paramref name="body"/> to <paramref name="endpoint"/>, timestamped, signed when there is a secret.</summary>
    public static HttpRequestMessage Post(string endpoint, string body, string? secret, DateTimeOffset now, string userAgent)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue(userAgent, "1"));
        if (secret is { Length: > 0 })
        {
            request.Headers.Add(SignatureHeader, Sign(secret, timestamp, body));
        }
        return request;
    }

    /// <summary>The signature a receiver recomputes: <c>sha256=</c> and the hex HMAC-SHA256 of <c>timestamp + "." + body</c>.</summary>
    public static string Sign(string secret, string timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    /// <summary>
    /// At most <paramref name="maxBytes"/> of the answer, and whether it had more: a receiver cannot make the platform
    /// buffer an answer of any size.
    /// </summary>
    public static async Task<(byte[] Bytes, bool Exceeded)> ReadBoundedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[maxBytes + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }
        return (buffer[..Math.Min(read, maxBytes)], read > maxBytes);
    }
}
