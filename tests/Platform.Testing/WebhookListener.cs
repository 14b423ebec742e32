using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Testing;

/// <summary>One request a listener received.</summary>
public sealed record ReceivedRequest(IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// A real HTTP listener on a loopback port standing for a webhook or a function: records every request and answers
/// with what <c>respond</c> says for the request's number (from 1), which may also hold the answer back.
/// </summary>
public sealed class WebhookListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _count;

    private WebhookListener(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>The status to answer request <c>n</c> with (200 by default).</summary>
    public Func<int, Task<int>> Respond { get; set; } = _ => Task.FromResult(200);

    /// <summary>The JSON body to answer a request with (a function's answer); <c>{"ok":true}</c> by default.</summary>
    public Func<ReceivedRequest, string> Answer { get; set; } = _ => """{"ok":true}""";

    public string Url { get; private set; } = "";

    public int Port => new Uri(Url).Port;

    public static async Task<WebhookListener> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var listener = new WebhookListener(app);
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var received = new ReceivedRequest(
                http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body);
            listener.Received.Enqueue(received);
            var status = await listener.Respond(Interlocked.Increment(ref listener._count));
            return Results.Text(listener.Answer(received), "application/json", statusCode: status);
        });
        await app.StartAsync();
        listener.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
