using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Platform.Compliance.Tests;

/// <summary>One request the S3 listener received, and what checking its SigV4 signature found (null: valid).</summary>
public sealed record S3Request(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, string Body, string? SignatureProblem);

/// <summary>
/// A local S3-compatible listener (path-style) standing for S3: records every request, checks its AWS Signature
/// Version 4 against the configured key as S3 would (the canonical request rebuilt from what arrived, the payload hash
/// checked against the body), and answers 200 or what <see cref="Respond"/> says.
/// </summary>
public sealed class S3Listener : IAsyncDisposable
{
    public const string AccessKeyId = "AKIDREMEDIATIONTEST";
    public const string SecretAccessKey = "remediation-test-secret-key-0123456789";

    private readonly WebApplication _app;
    private int _count;

    private S3Listener(WebApplication app) => _app = app;

    public ConcurrentQueue<S3Request> Received { get; } = new();

    /// <summary>The status to answer request <c>n</c> (from 1) with.</summary>
    public Func<int, int> Respond { get; set; } = _ => 200;

    public string Url { get; private set; } = "";

    public static async Task<S3Listener> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var listener = new S3Listener(app);
        app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
            var rawTarget = http.Features.Get<IHttpRequestFeature>()!.RawTarget;
            listener.Received.Enqueue(new S3Request(http.Request.Method, rawTarget, headers, body, CheckSignature(http.Request.Method, rawTarget, headers, body)));
            var status = listener.Respond(Interlocked.Increment(ref listener._count));
            http.Response.StatusCode = status;
            if (status >= 400)
            {
                http.Response.ContentType = "application/xml";
                await http.Response.WriteAsync("<Error><Code>InternalError</Code><Message>try again</Message></Error>");
            }
        });
        await app.StartAsync();
        listener.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return listener;
    }

    /// <summary>
    /// Verifies the request's <c>Authorization</c> header (AWS4-HMAC-SHA256) with <see cref="SecretAccessKey"/>: null when
    /// the signature is what S3 would compute for what arrived, else what is wrong.
    /// </summary>
    public static string? CheckSignature(string method, string rawTarget, IReadOnlyDictionary<string, string> headers, string body)
    {
        if (!headers.TryGetValue("authorization", out var authorization) || !authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal))
        {
            return "no AWS4-HMAC-SHA256 Authorization header";
        }
        var parts = authorization["AWS4-HMAC-SHA256 ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var scope = parts["Credential"].Split('/');
        if (scope is not [AccessKeyId, var date, var region, "s3", "aws4_request"])
        {
            return $"unexpected credential scope {parts["Credential"]}";
        }
        var signedHeaders = parts["SignedHeaders"];
        var amzDate = headers["x-amz-date"];
        var payloadHash = headers["x-amz-content-sha256"];
        if (payloadHash != Hex(SHA256.HashData(Encoding.UTF8.GetBytes(body))))
        {
            return $"x-amz-content-sha256 {payloadHash} is not the body's hash";
        }

        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? rawTarget : rawTarget[..question];
        var query = question < 0 ? "" : rawTarget[(question + 1)..];
        var canonicalQuery = string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Contains('=', StringComparison.Ordinal) ? p : p + "=")
            .Order(StringComparer.Ordinal));
        var canonicalHeaders = string.Concat(signedHeaders.Split(';')
            .Select(h => $"{h}:{string.Join(' ', headers[h].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))}\n"));
        var canonicalRequest = $"{method}\n{path}\n{canonicalQuery}\n{canonicalHeaders}\n{signedHeaders}\n{payloadHash}";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{date}/{region}/s3/aws4_request\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

        var key = Encoding.UTF8.GetBytes("AWS4" + SecretAccessKey);
        foreach (var step in new[] { date, region, "s3", "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(step));
        }
        var expected = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        return expected == parts["Signature"] ? null : $"signature {parts["Signature"]} is not {expected}; canonical request:\n{canonicalRequest}";
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
