namespace Platform.Alerting.Tests;

/// <summary>Deliveries reach real listeners at least once and exactly once in effect, with retries, dead letters and retry by hand.</summary>
[Collection(DeliveryCollection.Name)]
public sealed class Delivering_alerts(DeliveryHost delivery)
{
    [Fact]
    public async Task An_alarm_published_on_the_broker_reaches_the_webhook_once_with_a_valid_signature()
    {
        await using var listener = await WebhookListener.StartAsync();
        var topic = TestNames.Unique("security-alerts");
        var arn = $"arn:aws:sns:us-east-1:123456789012:{topic}";
        await delivery.ProvisionTopicAsync(topic, new TopicSubscription(TopicProtocols.Http, listener.Url));
        var changed = new AlarmStateChanged("HighFailedLogins", "OK", "ALARM",
            "Threshold Crossed: 1 datapoint [11.0] was greater than the threshold (10.0).", null, DateTimeOffset.UtcNow, 1, [arn]);

        await delivery.PublishAsync(changed);
        await delivery.PublishAsync(changed); // a redelivery: the same alarm and version
        await delivery.PublishAsync(changed with { NewState = "OK", OldState = "ALARM", Version = 2 });
        await Eventually.ObserveAsync(() => Task.FromResult(listener.Received.Count), n => n >= 2);
        await delivery.WaitForDeliveryAsync(arn, $"alarm:HighFailedLogins:2:{arn}", DeliveryStatus.Delivered);
        await Task.Delay(500);

        var first = Assert.Single(listener.Received, r => r.Headers["Idempotency-Key"] == $"alarm:HighFailedLogins:1:{arn}");
        Assert.Equal(2, listener.Received.Count);
        var timestamp = first.Headers[SignedRequests.TimestampHeader];
        Assert.Equal(SignedRequests.Sign(DeliveryHost.SigningSecret, timestamp, first.Body), first.Headers[SignedRequests.SignatureHeader]);
        Assert.InRange(long.Parse(timestamp), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var body = JsonNode.Parse(first.Body)!;
        Assert.Equal("HighFailedLogins", (string?)body["AlarmName"]);
        Assert.Equal("ALARM", (string?)body["NewStateValue"]);
        Assert.Equal("OK", (string?)body["OldStateValue"]);
        Assert.Equal("123456789012", (string?)body["AWSAccountId"]);
        Assert.Equal("arn:aws:cloudwatch:us-east-1:123456789012:alarm:HighFailedLogins", (string?)body["AlarmArn"]);
    }

    [Fact]
    public async Task A_listener_that_fails_twice_gets_the_alert_once_on_the_third_attempt()
    {
        await using var listener = await WebhookListener.StartAsync();
        listener.Respond = n => Task.FromResult(n <= 2 ? 500 : 200);
        var topic = TestNames.Unique("flaky");
        await delivery.ProvisionTopicAsync(topic, new TopicSubscription(TopicProtocols.Http, listener.Url));

        await delivery.ScheduleAsync(topic, new DeliveryMessage("flaky-1", "ALARM: flaky", new JsonObject { ["n"] = 1 }));

        var delivered = await delivery.WaitForDeliveryAsync(topic, "flaky-1", DeliveryStatus.Delivered);
        Assert.Equal([500, 500, 200], delivered.AttemptLog!.Select(a => a.StatusCode));
        Assert.Equal("HTTP 500 Internal Server Error", delivered.AttemptLog![0].Error);
        Assert.Equal("""{"ok":true}""", delivered.AttemptLog![2].Response);
        Assert.Equal(3, listener.Received.Count);
        Assert.All(listener.Received, r => Assert.Equal("flaky-1", r.Headers["Idempotency-Key"]));
        Assert.Single(listener.Received.Select(r => r.Headers[DeliveryChannels.DeliveryIdHeader]).Distinct());
    }

    [Fact]
    public async Task A_delivery_is_dead_after_the_maximum_of_attempts_and_a_retry_by_an_analyst_delivers_it()
    {
        await using var listener = await WebhookListener.StartAsync();
        var up = false;
        listener.Respond = _ => Task.FromResult(up ? 200 : 503);
        var topic = TestNames.Unique("down");
        await delivery.ProvisionTopicAsync(topic, new TopicSubscription(TopicProtocols.Http, listener.Url));

        await delivery.ScheduleAsync(topic, new DeliveryMessage("down-1", "ALARM: down", new JsonObject { ["n"] = 1 }));

        var dead = await delivery.WaitForDeliveryAsync(topic, "down-1", DeliveryStatus.Dead);
        Assert.Equal(3, dead.Attempts);
        Assert.Equal("HTTP 503 Service Unavailable", dead.LastError);

        up = true;
        using var analyst = delivery.Host.CreateClient(DeliveryHost.AnalystKey);
        using var retried = await analyst.PostAsync($"/v1/deliveries/{dead.Id}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);

        var delivered = await delivery.WaitForDeliveryAsync(topic, "down-1", DeliveryStatus.Delivered);
        Assert.Equal([503, 503, 503, 200], delivered.AttemptLog!.Select(a => a.StatusCode));
        using var again = await analyst.PostAsync($"/v1/deliveries/{dead.Id}/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task An_unknown_target_is_a_visible_failed_delivery_that_a_retry_sends_once_the_topic_exists()
    {
        await using var listener = await WebhookListener.StartAsync();
        var topic = TestNames.Unique("late");
        var arn = $"arn:aws:sns:eu-west-1:123456789012:{topic}";

        await delivery.ScheduleAsync(arn, new DeliveryMessage("late-1", "ALARM: late", new JsonObject { ["n"] = 1 }));

        var failed = await delivery.WaitForDeliveryAsync(arn, "late-1", DeliveryStatus.Failed);
        Assert.Equal($"target no topic named '{topic}' is provisioned", failed.LastError);

        await delivery.ProvisionTopicAsync(topic, new TopicSubscription(TopicProtocols.Http, listener.Url));
        using var admin = delivery.Host.CreateAdminClient();
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/v1/deliveries/{failed.Id}/retry", null)).StatusCode);

        var sent = await Eventually.ObserveAsync(() => Task.FromResult(listener.Received.ToList()), r => r.Count > 0);
        Assert.Equal("late-1", Assert.Single(sent).Headers["Idempotency-Key"]);
    }

    [Fact]
    public async Task An_unknown_status_is_refused_naming_the_field()
    {
        using var admin = delivery.Host.CreateAdminClient();

        using var response = await admin.GetAsync("/v1/deliveries?status=lost");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("must be one of pending, delivered, failed, dead", problem.GetProperty("errors").GetProperty("status")[0].GetString());
    }
}
