using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Platform.Testing;

/// <summary>One request a listener received.</summary>
public sealed record ReceivedRequest(IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// A real HTTP listener on a loopback port standing for a webhook or a function: records every request and answers
/// with what <c>respond</c> says for the request's number (from 1), which may also hold the answer back.
/// </summary>
public sealed class WebhookListener : IAsyncDisposable
{
    private WebApplication _app = null!;
    private int _count;

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>The status to answer request <c>n</c> with (200 by default).</summary>
    public Func<int, Task<int>> Respond { get; set; } = _ => Task.FromResult(200);

    /// <summary>The JSON body to answer a request with (a function's answer); <c>{"ok":true}</c> by default.</summary>
    public Func<ReceivedRequest, string> Answer { get; set; } = _ => """{"ok":true}""";

    public string Url { get; private set; } = "";

    public int Port => new Uri(Url).Port;

    public static async Task<WebhookListener> StartAsync()
    {
        var listener = new WebhookListener();
        (listener._app, var url) = await LoopbackApp.StartAsync(app => app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var received = new ReceivedRequest(
                http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body);
            listener.Received.Enqueue(received);
            var status = await listener.Respond(Interlocked.Increment(ref listener._count));
            return Results.Text(listener.Answer(received), "application/json", statusCode: status);
        }));
        listener.Url = url + "/hook";
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
