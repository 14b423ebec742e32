using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Platform.Archiver.Tests;

/// <summary>One request the proxy received: what reached the S3 endpoint, headers included (s3rver does not keep the SSE ones).</summary>
public sealed record ProxiedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers);

/// <summary>What the proxy does with a request.</summary>
public enum ProxyAction
{
    /// <summary>Passes it to s3rver and its answer back.</summary>
    Forward,

    /// <summary>Drops the connection without passing it on: the archiver dies before its PUT arrives.</summary>
    DropBeforeForwarding,

    /// <summary>Passes it to s3rver, then drops the connection: the PUT happened, the archiver never learns it did.</summary>
    DropAfterForwarding,
}

/// <summary>
/// A recording proxy in front of the test s3rver, standing where S3 would: every request the archiver sends is recorded
/// with its headers, and <see cref="Decide"/> can cut a request off before or after it reaches the server.
/// </summary>
public sealed class RecordingS3Proxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Transfer-Encoding", "Expect", "Keep-Alive", "Content-Length",
    };

    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, UseCookies = false });
    private WebApplication _app = null!;

    public ConcurrentQueue<ProxiedRequest> Received { get; } = new();

    public Func<ProxiedRequest, ProxyAction> Decide { get; set; } = _ => ProxyAction.Forward;

    public string Url { get; private set; } = "";

    public static async Task<RecordingS3Proxy> StartAsync()
    {
        var proxy = new RecordingS3Proxy();
        (proxy._app, proxy.Url) = await LoopbackApp.StartAsync(app => app.Run(proxy.ForwardAsync));
        return proxy;
    }

    /// <summary>The PUTs of objects whose key ends with <paramref name="suffix"/>.</summary>
    public IReadOnlyList<ProxiedRequest> Puts(string suffix) =>
        Received.Where(r => r.Method == "PUT" && r.Path.EndsWith(suffix, StringComparison.Ordinal)).ToList();

    private async Task ForwardAsync(HttpContext http)
    {
        var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        var request = new ProxiedRequest(http.Request.Method, Uri.UnescapeDataString(http.Request.Path.Value ?? ""), headers);
        Received.Enqueue(request);
        var action = Decide(request);
        if (action == ProxyAction.DropBeforeForwarding)
        {
            http.Abort();
            return;
        }

        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body);
        using var upstream = new HttpRequestMessage(new HttpMethod(http.Request.Method),
            new Uri(TestServers.S3, http.Request.Path.ToUriComponent() + http.Request.QueryString.ToUriComponent()));
        upstream.Content = new ByteArrayContent(body.ToArray());
        foreach (var (name, value) in http.Request.Headers)
        {
            if (HopHeaders.Contains(name))
            {
                continue;
            }
            if (!upstream.Headers.TryAddWithoutValidation(name, value.ToArray()))
            {
                upstream.Content.Headers.TryAddWithoutValidation(name, value.ToArray());
            }
        }
        // The signature covers the host the client addressed.
        upstream.Headers.Host = http.Request.Host.Value;
        using var response = await _upstream.SendAsync(upstream);
        var answer = await response.Content.ReadAsByteArrayAsync();
        if (action == ProxyAction.DropAfterForwarding)
        {
            http.Abort();
            return;
        }
        http.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopHeaders.Contains(name))
            {
                http.Response.Headers[name] = values.ToArray();
            }
        }
        await http.Response.Body.WriteAsync(answer);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
