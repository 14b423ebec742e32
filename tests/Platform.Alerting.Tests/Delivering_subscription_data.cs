using System.IO.Compression;

namespace Platform.Alerting.Tests;

/// <summary>Subscription filters deliver matching events in the payload CloudWatch Logs sends a Lambda subscription.</summary>
[Collection(DeliveryCollection.Name)]
public sealed class Delivering_subscription_data(DeliveryHost delivery)
{
    [Fact]
    public async Task The_seeds_security_events_filter_sends_the_matching_events_to_its_function_once()
    {
        await using var listener = await WebhookListener.StartAsync();
        var function = TestNames.Unique("process-logs");
        var logGroup = "/aws/security/" + TestNames.Unique("application");
        var arn = $"arn:aws:lambda:us-east-1:123456789012:function:{function}";
        await delivery.PublishAsync(new FunctionProvisioned(function, new FunctionSpec(listener.Url), 1));
        await delivery.PublishAsync(new SubscriptionFilterProvisioned(
            TestNames.Unique("security-events"), new SubscriptionFilterSpec(logGroup, "security-events", "[ERROR, WARN, CRITICAL]", arn), 1));
        await DeliveryHost.WaitUntilResolvedAsync(delivery.Host, arn);
        var now = DateTimeOffset.UtcNow;
        var batch = new LogEventsIngested(Guid.NewGuid(), "security-logs", now,
        [
            Text("e1", "ERROR disk full", logGroup, now),
            Text("e2", "INFO all is well here", logGroup, now),
            Text("e3", "CRITICAL database unreachable", logGroup, now),
            Text("e4", "ERROR elsewhere too", "/aws/other", now),
        ]);

        await Eventually.ObserveAsync(async () =>
        {
            // The filter may still be on its way to the service: publish until it delivers (each publish is the same batch).
            await delivery.PublishAsync(batch);
            return listener.Received.Count;
        }, n => n > 0);
        await delivery.PublishAsync(batch);
        await Task.Delay(1000);

        var request = Assert.Single(listener.Received);
        var data = Convert.FromBase64String(JsonNode.Parse(request.Body)!["awslogs"]!["data"]!.GetValue<string>());
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        var payload = JsonNode.Parse(gzip)!;
        Assert.Equal("DATA_MESSAGE", (string?)payload["messageType"]);
        Assert.Equal("123456789012", (string?)payload["owner"]);
        Assert.Equal(logGroup, (string?)payload["logGroup"]);
        Assert.Equal("stream-1", (string?)payload["logStream"]);
        Assert.Equal(["security-events"], payload["subscriptionFilters"]!.AsArray().Select(f => (string?)f));
        var events = payload["logEvents"]!.AsArray();
        Assert.Equal(["e1", "e3"], events.Select(e => (string?)e!["id"]));
        Assert.Equal(["ERROR disk full", "CRITICAL database unreachable"], events.Select(e => (string?)e!["message"]));
        Assert.Equal(now.ToUnixTimeMilliseconds(), (long)events[0]!["timestamp"]!);
    }

    private static NormalizedLogEvent Text(string id, string message, string logGroup, DateTimeOffset time) => new(
        id, LogSourceTypes.Text, time, logGroup, "stream-1", "123456789012", "us-east-1", null, null, null, null, null,
        LogDocument.FromElement(JsonSerializer.SerializeToElement(new { message })));
}
