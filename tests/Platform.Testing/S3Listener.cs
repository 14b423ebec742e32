using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Platform.Testing;

/// <summary>One request the S3 listener received, and what checking its SigV4 signature found (null: valid).</summary>
public sealed record S3Request(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, string Body, string? SignatureProblem);

/// <summary>
/// A local S3-compatible listener (path style, <c>/{bucket}/{key}</c>) standing for S3: records every request and checks
/// its AWS Signature Version 4 against the configured key as S3 would (the canonical request rebuilt from what arrived,
/// the payload hash checked against the body); serves GetObject from the objects a test puts (NoSuchKey, 404, otherwise)
/// and answers any other request 200 or what <see cref="Respond"/> says.
/// </summary>
public sealed class S3Listener : IAsyncDisposable
{
    public const string AccessKeyId = "AKIDCOMPLIANCETEST";
    public const string SecretAccessKey = "compliance-test-secret-key-0123456789";

    private WebApplication _app = null!;
    private int _count;

    public ConcurrentQueue<S3Request> Received { get; } = new();

    public ConcurrentDictionary<string, byte[]> Objects { get; } = new(StringComparer.Ordinal);

    /// <summary>The status to answer write request <c>n</c> (from 1) with.</summary>
    public Func<int, int> Respond { get; set; } = _ => 200;

    public string Url { get; private set; } = "";

    public void Put(string bucket, string key, byte[] content) => Objects[$"{bucket}/{key}"] = content;

    public static async Task<S3Listener> StartAsync()
    {
        var listener = new S3Listener();
        (listener._app, listener.Url) = await LoopbackApp.StartAsync(app => app.Run(listener.AnswerAsync));
        return listener;
    }

    private async Task AnswerAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        var rawTarget = http.Features.Get<IHttpRequestFeature>()!.RawTarget;
        Received.Enqueue(new S3Request(http.Request.Method, rawTarget, headers, body, CheckSignature(http.Request.Method, rawTarget, headers, body)));
        if (HttpMethods.IsGet(http.Request.Method))
        {
            var key = Uri.UnescapeDataString(http.Request.Path.Value!.TrimStart('/'));
            if (Objects.TryGetValue(key, out var content))
            {
                http.Response.ContentType = "application/octet-stream";
                await http.Response.Body.WriteAsync(content);
                return;
            }
            await ErrorAsync(http, 404, "NoSuchKey", "The specified key does not exist.");
            return;
        }
        var status = Respond(Interlocked.Increment(ref _count));
        http.Response.StatusCode = status;
        if (status >= 400)
        {
            await ErrorAsync(http, status, "InternalError", "try again");
        }
    }

    private static async Task ErrorAsync(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/xml";
        await http.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message></Error>");
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
