using System.Net.Http.Headers;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// Alerting across the services, as a user sets it up: resources put through provisioning's API, logs posted to
/// ingestion, and a real HTTP listener standing for the webhook or function at the end.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class Alerting_from_log_line_to_listener(PlatformServices platform)
{
    [Fact]
    public async Task Eleven_failed_logins_from_one_ip_reach_the_topics_webhook_once_through_the_seed_filter_and_an_alarm_on_that_ip()
    {
        await using var listener = await WebhookListener.StartAsync();
        var topic = Unique("security-alerts");
        var logGroup = "/aws/security/" + Unique("auth");
        var alarm = Unique("HighFailedLogins");
        const string ip = "203.0.113.77";
        using var admin = platform.Provisioning.Host.CreateClient(ServiceHost<ProvisioningDbContext>.AdminKey);

        await admin.PutResourceAsync("topics", topic, new { subscriptions = new[] { new { protocol = "http", endpoint = listener.Url } } });
        // The seed's filter as written, on a log group of this test's own.
        await admin.PutResourceAsync("metric-filters", Unique("FailedLogins"), SeedMetricFilters.FailedLoginsOn(logGroupName: logGroup).ToJsonString());
        // The seed's alarm on the dimension the filter publishes, one minute at a time.
        await admin.PutResourceAsync("alarms", alarm, new
        {
            AlarmName = alarm,
            MetricName = "FailedLoginCount",
            Namespace = "Security/Authentication",
            Dimensions = new[] { new { Name = "SourceIP", Value = ip } },
            Statistic = "Sum",
            Period = 60,
            EvaluationPeriods = 1,
            Threshold = 10,
            ComparisonOperator = "GreaterThanThreshold",
            AlarmActions = new[] { $"arn:aws:sns:us-east-1:123456789012:{topic}" },
        });
        using var alerting = platform.Service("alerting").Host.CreateClient(ServiceHost<ProvisioningDbContext>.AdminKey);
        await Eventually.ObserveAsync(async () => (await alerting.GetAsync($"/v1/alarms/{alarm}")).StatusCode, s => s == HttpStatusCode.OK);

        var logins = SubscriptionMessages.FailedLogins(ip, 11);
        using var ingestion = platform.Service("ingestion").Host.CreateClient(ServiceHost<ProvisioningDbContext>.AdminKey);
        using var body = new ByteArrayContent(SubscriptionMessages.Gzip(SubscriptionMessages.DataMessage(logins, logGroup, logStream: "auth-1")));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        (await ingestion.PostAsync("/v1/ingest/cloudwatch-logs", body)).EnsureSuccessStatusCode();

        var received = await Eventually.ObserveAsync(() => Task.FromResult(listener.Received.ToArray()), r => r.Length > 0, TimeSpan.FromSeconds(60));
        var notification = JsonNode.Parse(received[0].Body)!;
        Assert.Contains(alarm, received[0].Body);
        Assert.Contains("ALARM", received[0].Body);
        Assert.NotNull(notification);
        using var state = await alerting.GetFromJsonAsync<JsonDocument>($"/v1/alarms/{alarm}");
        Assert.Equal("ALARM", state!.RootElement.GetProperty("stateValue").GetString());

        // Further evaluations (every minute, and redeliveries) make no second transition and send nothing again.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(listener.Received);
    }

    /// <summary>Through each door a CloudTrail record comes in by: the HTTP CloudTrail endpoint, and a Kinesis stream's subscription data.</summary>
    [Theory]
    [InlineData("http")]
    [InlineData("kinesis")]
    public async Task A_create_access_key_record_reaches_the_function_of_the_seeds_iam_changes_rule(string door)
    {
        await using var listener = await WebhookListener.StartAsync();
        var function = Unique("iam-change-handler");
        var rule = Unique("iam-changes");
        using var admin = platform.Provisioning.Host.CreateClient(ServiceHost<ProvisioningDbContext>.AdminKey);
        await admin.PutResourceAsync("functions", function, new { endpoint = listener.Url });
        // The seed's rule and target as written (the function named by its Lambda ARN).
        await admin.PutResourceAsync("event-rules", rule, new
        {
            Name = rule,
            EventPattern = """{"source": ["aws.iam"], "detail-type": ["AWS API Call via CloudTrail"], "detail": {"eventSource": ["iam.amazonaws.com"], "eventName": ["CreateUser", "DeleteUser", "CreateAccessKey", "DeleteAccessKey", "AttachUserPolicy", "PutUserPolicy"]}}""",
            State = "ENABLED",
            Targets = new[] { new { Id = "iam-change-handler", Arn = $"arn:aws:lambda:us-east-1:123456789012:function:{function}" } },
        });
        await Task.Delay(TimeSpan.FromSeconds(2)); // the rule reaches alerting on the bus

        var eventId = Guid.NewGuid().ToString();
        var record = CloudTrailRecords.CreateAccessKey(eventId);
        await using var stream = door == "kinesis" ? await KinesisTestStream.CreateAsync(1, "iam-changes") : null;
        if (stream is null)
        {
            using var ingestion = platform.Service("ingestion").Host.CreateClient(ServiceHost<ProvisioningDbContext>.AdminKey);
            using var body = new StringContent(new JsonObject { ["Records"] = new JsonArray(record) }.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
            (await ingestion.PostAsync("/v1/ingest/cloudtrail", body)).EnsureSuccessStatusCode();
        }
        else
        {
            // As the seed subscribes the trail's log group to Kinesis: a source reading the stream, the trail's records
            // arriving as CloudWatch Logs subscription data.
            var logGroup = Unique("aws-cloudtrail-logs");
            await admin.PutResourceAsync("log-groups", logGroup, new { retentionInDays = 30 });
            await admin.PutResourceAsync("sources", Unique("security-logs"), new
            {
                streamName = stream.Name, region = "us-east-1", endpoint = TestServers.Kinesis.ToString(), startingPosition = "TRIM_HORIZON", logGroup,
            });
            await stream.PutAsync([SubscriptionMessages.Gzip(SubscriptionMessages.DataMessage(
                [SubscriptionMessages.LogEvent(eventId, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), record.ToJsonString())], logGroup))]);
        }

        var received = await Eventually.ObserveAsync(() => Task.FromResult(listener.Received.ToArray()), r => r.Length > 0, TimeSpan.FromSeconds(60));
        var delivered = JsonNode.Parse(received[0].Body)!;
        Assert.Equal("aws.iam", (string?)delivered["source"]);
        Assert.Equal("AWS API Call via CloudTrail", (string?)delivered["detail-type"]);
        Assert.Equal(eventId, (string?)delivered["detail"]!["eventID"]);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(listener.Received);
    }
}
