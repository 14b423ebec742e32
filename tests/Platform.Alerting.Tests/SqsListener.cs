using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Platform.Alerting.Tests;

/// <summary>One SendMessage call the SQS listener received.</summary>
public sealed record SqsCall(string Target, string? Authorization, JsonObject Request);

/// <summary>
/// A local listener speaking SQS's JSON protocol (what AWSSDK.SQS 4 sends) for SendMessage: records each call and
/// answers as SQS does, with the MD5 digests of the body and attributes the SDK checks.
/// </summary>
public sealed class SqsListener : IAsyncDisposable
{
    private WebApplication _app = null!;

    public ConcurrentQueue<SqsCall> Received { get; } = new();

    public string Url { get; private set; } = "";

    public static async Task<SqsListener> StartAsync()
    {
        var listener = new SqsListener();
        (listener._app, listener.Url) = await LoopbackApp.StartAsync(app => app.MapPost("/", async (HttpContext http) =>
        {
            var request = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
            var target = http.Request.Headers["X-Amz-Target"].ToString();
            listener.Received.Enqueue(new SqsCall(target, http.Request.Headers.Authorization.ToString(), request));
            if (target != "AmazonSQS.SendMessage")
            {
                return Results.Json(new JsonObject { ["__type"] = "com.amazonaws.sqs#InvalidAction", ["message"] = target }, statusCode: 400);
            }
            var answer = new JsonObject
            {
                ["MessageId"] = Guid.NewGuid().ToString(),
                ["MD5OfMessageBody"] = Md5((string)request["MessageBody"]!),
            };
            if (request["MessageAttributes"] is JsonObject attributes)
            {
                answer["MD5OfMessageAttributes"] = AttributesMd5(attributes);
            }
            return Results.Text(answer.ToJsonString(), "application/x-amz-json-1.0");
        }));
        return listener;
    }

    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>SQS's digest of string message attributes: each, by name, as length-prefixed name, type, transport 1 and value.</summary>
    private static string AttributesMd5(JsonObject attributes)
    {
        using var buffer = new MemoryStream();
        foreach (var (name, value) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            Write(buffer, name);
            Write(buffer, (string)value!["DataType"]!);
            buffer.WriteByte(1);
            Write(buffer, (string)value["StringValue"]!);
        }
        return Convert.ToHexStringLower(MD5.HashData(buffer.ToArray()));

        static void Write(Stream stream, string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            Span<byte> length = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            stream.Write(length);
            stream.Write(bytes);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
