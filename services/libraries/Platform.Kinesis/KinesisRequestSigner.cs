using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime.Internal.Auth;

namespace Platform.Kinesis;

/// <summary>
/// Signs a request with AWS Signature Version 4. The canonical request is built here (it needs the
/// HttpRequestMessage's view of headers); the string to sign, key derivation and HMAC are AWSSDK.Core's.
/// </summary>
public static class KinesisRequestSigner
{
    public const string KinesisService = "kinesis";

    // Headers a handler below the signer may add or rewrite (tracing, resilience): they are sent unsigned.
    private static readonly HashSet<string> Unsigned = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "user-agent", "expect", "traceparent", "tracestate", "baggage", "request-id", "correlation-context",
    };

    /// <summary>
    /// Adds <c>X-Amz-Date</c>, the session token when there is one, and <c>Authorization</c>, signing the host,
    /// every header already on the request and its content type.
    /// </summary>
    public static void Sign(
        HttpRequestMessage request,
        ReadOnlySpan<byte> body,
        ImmutableCredentials credentials,
        string region,
        DateTimeOffset now,
        string service = KinesisService)
    {
        var signedAt = now.UtcDateTime;
        request.Headers.Remove("X-Amz-Date");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", signedAt.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
        if (credentials.UseToken)
        {
            request.Headers.Remove("X-Amz-Security-Token");
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", credentials.Token);
        }

        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}",
        };
        foreach (var (name, values) in request.Headers.NonValidated)
        {
            if (!Unsigned.Contains(name) && !name.Equals("host", StringComparison.OrdinalIgnoreCase))
            {
                headers[name.ToLowerInvariant()] = string.Join(',', values.Select(Normalize));
            }
        }
        if (request.Content?.Headers.ContentType is { } contentType)
        {
            headers["content-type"] = Normalize(contentType.ToString());
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(string.IsNullOrEmpty(uri.AbsolutePath) ? "/" : uri.AbsolutePath).Append('\n')
            .Append(CanonicalQuery(uri.Query)).Append('\n');
        foreach (var (name, value) in headers)
        {
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }
        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(Convert.ToHexStringLower(SHA256.HashData(body)));

        var result = AWS4Signer.ComputeSignature(credentials, region, signedAt, service, signedHeaders, canonical.ToString());
        request.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
    }

    private static string CanonicalQuery(string query) =>
        string.Join('&', query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Contains('=', StringComparison.Ordinal) ? pair : pair + "=")
            .Order(StringComparer.Ordinal));

    /// <summary>Trimmed, with runs of spaces collapsed, as the canonical form requires.</summary>
    private static string Normalize(string value) =>
        string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
