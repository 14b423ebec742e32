using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Platform.Compliance.Tests;

/// <summary>
/// A local S3-compatible listener for GetObject (path style, <c>/{bucket}/{key}</c>) on a loopback port: serves the
/// objects a test puts, answers NoSuchKey (404) otherwise, and records each request's Authorization header so a test
/// sees the service really signed with AWSSDK.S3.
/// </summary>
public sealed class S3ObjectListener : IAsyncDisposable
{
    private WebApplication _app = null!;

    public ConcurrentDictionary<string, byte[]> Objects { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string Path, string Authorization)> Requests { get; } = new();

    public string Url { get; private set; } = "";

    public void Put(string bucket, string key, byte[] content) => Objects[$"{bucket}/{key}"] = content;

    public static async Task<S3ObjectListener> StartAsync()
    {
        var listener = new S3ObjectListener();
        (listener._app, listener.Url) = await LoopbackApp.StartAsync(app => app.MapGet("/{bucket}/{**key}", (HttpContext http, string bucket, string key) =>
        {
            listener.Requests.Enqueue((http.Request.Path, http.Request.Headers.Authorization.ToString()));
            return listener.Objects.TryGetValue($"{bucket}/{Uri.UnescapeDataString(key)}", out var content)
                ? Results.Bytes(content, "application/octet-stream")
                : Results.Text(
                    $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>{key}</Key></Error>",
                    "application/xml", statusCode: 404);
        }));
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
