namespace Platform.Alerting.Tests;

/// <summary>
/// The sqs and email protocols of a topic, through AWSSDK.SQS and MailKit against local listeners that speak SQS's
/// JSON protocol and SMTP: an alarm reaches the queue and the mailbox once, however often it is redelivered.
/// </summary>
public sealed class Delivering_to_queues_and_mail : IAsyncLifetime
{
    private const string AccessKeyId = "AKIDALERTINGSQSTEST";

    private readonly PostgresServer _postgres = new();
    private SqsListener _sqs = null!;
    private SmtpListener _smtp = null!;
    private IBusControl _bus = null!;
    private ServiceHost<AlertingDbContext> _host = null!;

    public async Task InitializeAsync()
    {
        // AWSSDK.SQS finds credentials through the standard chain, as on an instance or task with a role.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", AccessKeyId);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "alerting-sqs-test-secret");
        _sqs = await SqsListener.StartAsync();
        _smtp = SmtpListener.Start();
        var prefix = RabbitMqServer.NewEntityPrefix();
        _bus = await DeliveryHost.StartBusAsync(prefix);
        var settings = DeliveryHost.Settings();
        settings[$"{DeliveryOptions.Section}:SqsServiceUrl"] = _sqs.Url;
        settings[$"{DeliveryOptions.Section}:SmtpHost"] = "127.0.0.1";
        settings[$"{DeliveryOptions.Section}:SmtpPort"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings[$"{DeliveryOptions.Section}:SmtpUseTls"] = "false";
        settings[$"{DeliveryOptions.Section}:SmtpFrom"] = "alerts@example.com";
        _host = new ServiceHost<AlertingDbContext>(PlatformResources.AlertingDb, _postgres.NewDatabaseConnectionString("alerting"), prefix, settings);
        await _host.WaitUntilReadyAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _bus.StopAsync();
        await _smtp.DisposeAsync();
        await _sqs.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task An_alarm_reaches_the_queue_named_by_its_arn_once_signed_with_the_chains_credentials()
    {
        var topic = TestNames.Unique("to-queue");
        const string queue = "arn:aws:sqs:eu-west-1:123456789012:security-alerts";
        var arn = $"arn:aws:sns:eu-west-1:123456789012:{topic}";
        await ProvisionAsync(topic, new TopicSubscription(TopicProtocols.Sqs, queue));
        var changed = new AlarmStateChanged("HighFailedLogins", "OK", "ALARM", "Threshold Crossed", null, DateTimeOffset.UtcNow, 1, [arn]);

        await _bus.Publish(changed);
        await _bus.Publish(changed); // redelivered
        var delivery = await DeliveryHost.WaitForDeliveryAsync(_host, arn, $"alarm:HighFailedLogins:1:{arn}", DeliveryStatus.Delivered);
        await Task.Delay(500);

        var call = Assert.Single(_sqs.Received);
        Assert.Equal("AmazonSQS.SendMessage", call.Target);
        Assert.Equal($"{_sqs.Url}/123456789012/security-alerts", (string?)call.Request["QueueUrl"]);
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={AccessKeyId}/", call.Authorization);
        Assert.Contains("/eu-west-1/sqs/aws4_request", call.Authorization);
        var body = JsonNode.Parse((string)call.Request["MessageBody"]!)!;
        Assert.Equal("HighFailedLogins", (string?)body["AlarmName"]);
        Assert.Equal("ALARM", (string?)body["NewStateValue"]);
        Assert.Equal($"alarm:HighFailedLogins:1:{arn}", (string?)call.Request["MessageAttributes"]![DeliveryChannels.IdempotencyKeyHeader]!["StringValue"]);
        Assert.StartsWith("MessageId ", delivery.AttemptLog![^1].Response);
    }

    [Fact]
    public async Task An_alarm_reaches_the_mailbox_once_with_its_subject_and_a_stable_message_id()
    {
        var topic = TestNames.Unique("to-mail");
        var arn = $"arn:aws:sns:us-east-1:123456789012:{topic}";
        await ProvisionAsync(topic, new TopicSubscription(TopicProtocols.Email, "soc@example.com"));
        var changed = new AlarmStateChanged("RootActivity", "OK", "ALARM", "Threshold Crossed", null, DateTimeOffset.UtcNow, 1, [arn]);

        await _bus.Publish(changed);
        await _bus.Publish(changed); // redelivered
        await DeliveryHost.WaitForDeliveryAsync(_host, arn, $"alarm:RootActivity:1:{arn}", DeliveryStatus.Delivered);
        await Task.Delay(500);

        var mail = Assert.Single(_smtp.Received);
        Assert.Equal("alerts@example.com", mail.From);
        Assert.Equal(["soc@example.com"], mail.To);
        Assert.Contains("Subject: ALARM: \"RootActivity\" in US East (N. Virginia)", mail.Data);
        Assert.Contains("\"NewStateValue\": \"ALARM\"", mail.Data);
        Assert.Matches(@"Message-Id: <[0-9a-f]{32}@platform\.alerting>", mail.Data);
    }

    private async Task ProvisionAsync(string topic, TopicSubscription subscription)
    {
        await _bus.Publish(new TopicProvisioned(topic, new TopicSpec([subscription]), 1));
        await DeliveryHost.WaitUntilResolvedAsync(_host, topic);
    }
}
