using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.AppHost.Tests;

/// <summary>
/// The real AppHost, started whole: its five services as processes, as <c>./platform run</c> starts them, against the
/// servers <c>./platform test</c> started (the external mode, with the test's kinesalite as the Kinesis service).
/// The seed's alerting set up through provisioning's API, driven by log lines in through ingestion's doors, ending
/// at a real HTTP listener.
/// </summary>
public sealed class Running_the_whole_platform : IAsyncLifetime
{
    private KinesisTestStream _stream = null!;
    private DistributedApplication _app = null!;

    public async Task InitializeAsync()
    {
        _stream = await KinesisTestStream.CreateAsync(1, "apphost");
        var builder = await AppHostModel.BuildAsync(
        [
            .. ExternalPlatform.Settings(_stream),
            // The webhook listener is on loopback.
            "Platform:AllowPrivateTargets=true",
        ]);
        _app = await ExternalPlatform.BuildAsync(builder, "apphost-test");
        await ExternalPlatform.StartAsync(_app,
        [
            PlatformResources.Provisioning, PlatformResources.Ingestion, PlatformResources.Detection,
            PlatformResources.Compliance, PlatformResources.Alerting,
        ]);
        await _app.DeleteSeedSourceAsync(AppHostModel.AdminKey);
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _stream.DisposeAsync();
    }

    [Fact]
    public async Task The_seeds_alerting_works_end_to_end_through_the_apphost()
    {
        await using var listener = await WebhookListener.StartAsync();
        using var admin = Client(PlatformResources.Provisioning);
        using var alerting = Client(PlatformResources.Alerting);
        using var ingestion = Client(PlatformResources.Ingestion);

        // The seed's topic, filter and alarm, the alarm on the dimension the filter publishes (the seed's alarm as
        // written names none, which in AWS never leaves INSUFFICIENT_DATA).
        await admin.PutResourceAsync("topics", "security-alerts", new { subscriptions = new[] { new { protocol = "http", endpoint = listener.Url } } });
        await admin.PutResourceAsync("metric-filters", "FailedLogins", SeedMetricFilters.FailedLogins);
        const string ip = "203.0.113.41";
        await admin.PutResourceAsync("alarms", "HighFailedLogins", $$"""
            {"AlarmName": "HighFailedLogins", "AlarmDescription": "Alert on high failed login attempts",
             "MetricName": "FailedLoginCount", "Namespace": "Security/Authentication",
             "Dimensions": [{"Name": "SourceIP", "Value": "{{ip}}"}],
             "Statistic": "Sum", "Period": 300, "EvaluationPeriods": 1, "Threshold": 10,
             "ComparisonOperator": "GreaterThanThreshold",
             "AlarmActions": ["arn:aws:sns:us-east-1:123456789012:security-alerts"]}
            """);
        await Eventually.ObserveAsync(async () => (await alerting.GetAsync("/v1/alarms/HighFailedLogins")).StatusCode, s => s == HttpStatusCode.OK);

        // 11 failed logins from one IP, posted as the CloudWatch Logs subscription data of /aws/security/auth.
        var logins = SubscriptionMessages.FailedLogins(ip, 11);
        using (var body = new ByteArrayContent(SubscriptionMessages.Gzip(SubscriptionMessages.DataMessage(logins, "/aws/security/auth", logStream: "auth-1"))))
        {
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            (await ingestion.PostAsync("/v1/ingest/cloudwatch-logs", body)).EnsureSuccessStatusCode();
        }

        var alarmed = await Eventually.ObserveAsync(() => Task.FromResult(listener.Received.ToArray()), r => r.Length > 0, TimeSpan.FromSeconds(90));
        Assert.Contains("HighFailedLogins", alarmed[0].Body);
        Assert.Contains("ALARM", alarmed[0].Body);
        using (var state = await alerting.GetFromJsonAsync<JsonDocument>("/v1/alarms/HighFailedLogins"))
        {
            Assert.Equal("ALARM", state!.RootElement.GetProperty("stateValue").GetString());
        }

        // The seed's iam-changes rule, its target the function named by its Lambda ARN; the function's endpoint
        // fails twice before it answers.
        await using var handler = await WebhookListener.StartAsync();
        handler.Respond = attempt => Task.FromResult(attempt <= 2 ? 503 : 200);
        await admin.PutResourceAsync("functions", "iam-change-handler", new { endpoint = handler.Url });
        await admin.PutResourceAsync("event-rules", "iam-changes", """
            {"Name": "iam-changes",
             "EventPattern": "{\"source\": [\"aws.iam\"], \"detail-type\": [\"AWS API Call via CloudTrail\"], \"detail\": {\"eventSource\": [\"iam.amazonaws.com\"], \"eventName\": [\"CreateUser\", \"DeleteUser\", \"CreateAccessKey\", \"DeleteAccessKey\", \"AttachUserPolicy\", \"PutUserPolicy\"]}}",
             "State": "ENABLED", "Description": "Capture IAM changes",
             "Targets": [{"Id": "iam-change-handler", "Arn": "arn:aws:lambda:us-east-1:123456789012:function:iam-change-handler"}]}
            """);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the rule reaches alerting on the bus

        // A CreateAccessKey record through the Kinesis stream the AppHost gave ingestion, as a trail's log group
        // subscription delivers it.
        var eventId = Guid.NewGuid().ToString();
        var record = CloudTrailRecords.CreateAccessKey(eventId);
        await _stream.PutAsync([SubscriptionMessages.Gzip(SubscriptionMessages.DataMessage(
            [SubscriptionMessages.LogEvent(eventId, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), record.ToJsonString())], "aws-cloudtrail-logs"))]);

        // Two failed attempts, then the third delivers it: the function has it once, answered 200.
        var calls = await Eventually.ObserveAsync(() => Task.FromResult(handler.Received.ToArray()), r => r.Length >= 3, TimeSpan.FromSeconds(90));
        Assert.All(calls, call => Assert.Equal(eventId, (string?)JsonNode.Parse(call.Body)!["detail"]!["eventID"]));
        var delivered = JsonNode.Parse(calls[2].Body)!;
        Assert.Equal("aws.iam", (string?)delivered["source"]);
        Assert.Equal("AWS API Call via CloudTrail", (string?)delivered["detail-type"]);

        // Nothing is sent again: not the alarm (further evaluations make no transition), not the event.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Single(listener.Received);
        Assert.Equal(3, handler.Received.Count);
    }

    private HttpClient Client(string service) => _app.Client(service, AppHostModel.AdminKey);
}
