using Platform.Alerting.EventRules;
using Platform.Contracts.Compliance;
using Platform.Contracts.Detection;

namespace Platform.Alerting.Tests;

/// <summary>
/// Provisioned event rules match CloudTrail records, findings and alarm state changes in EventBridge's envelope and
/// hand the matches to their targets through the delivery scheduler, through the real service and bus.
/// </summary>
[Collection(EventRulesCollection.Name)]
public sealed class Matching_event_rules(EventRulesHost host)
{
    private const string IamTarget = "arn:aws:lambda:us-east-1:123456789012:function:iam-change-handler";

    [Fact]
    public async Task A_create_access_key_record_reaches_the_seeds_iam_rule_target_in_eventbridges_envelope()
    {
        var rule = Unique("iam-changes");
        var eventName = Unique("CreateAccessKey");
        await host.ProvisionAsync(rule, $$$"""
            {"source": ["aws.iam"], "detail-type": ["AWS API Call via CloudTrail"],
             "detail": {"eventSource": ["iam.amazonaws.com"], "eventName": ["CreateUser", "{{{eventName}}}"]}}
            """, [new EventRuleTarget("iam-change-handler", IamTarget)]);
        var record = CloudTrail(eventName, "iam.amazonaws.com");

        await host.PublishAsync(IngestedBatches.Of(record, CloudTrail(Unique("ListUsers"), "iam.amazonaws.com")));

        var (target, message) = Assert.Single(await host.ScheduledAsync(rule, 1));
        Assert.Equal(IamTarget, target);
        var body = message.Body;
        Assert.Equal("0", body["version"]!.GetValue<string>());
        Assert.Equal("aws.iam", body["source"]!.GetValue<string>());
        Assert.Equal("AWS API Call via CloudTrail", body["detail-type"]!.GetValue<string>());
        Assert.Equal("123456789012", body["account"]!.GetValue<string>());
        Assert.Equal("us-east-1", body["region"]!.GetValue<string>());
        Assert.Equal("2024-05-01T12:00:00Z", body["time"]!.GetValue<string>());
        Assert.Equal(eventName, body["detail"]!["eventName"]!.GetValue<string>());
        Assert.Equal($"event-rule:{rule}:iam-change-handler:{body["id"]!.GetValue<string>()}", message.IdempotencyKey);
    }

    [Fact]
    public async Task A_redelivered_batch_schedules_the_same_keys_so_nothing_is_sent_twice()
    {
        var rule = Unique("redelivery");
        var eventName = Unique("DeleteUser");
        await host.ProvisionAsync(rule, $$$"""{"source": ["aws.iam"], "detail": {"eventName": ["{{{eventName}}}"]}}""", [new EventRuleTarget("t", IamTarget)]);
        var batch = IngestedBatches.Of(CloudTrail(eventName, "iam.amazonaws.com"), CloudTrail(eventName, "iam.amazonaws.com"));

        await host.PublishAsync(batch);
        await host.PublishAsync(batch);

        var scheduled = await host.ScheduledAsync(rule, 4);
        Assert.Equal(4, scheduled.Count);
        Assert.Equal(2, scheduled.Select(s => s.Message.IdempotencyKey).Distinct().Count());
    }

    [Fact]
    public async Task A_root_console_sign_in_reaches_the_root_activity_rule_and_an_iam_users_does_not()
    {
        var rule = Unique("root-account-activity");
        var account = Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString();
        await host.ProvisionAsync(rule, $$$"""
            {"source": ["aws.signin"], "detail-type": ["AWS Console Sign In via CloudTrail"], "account": ["{{{account}}}"],
             "detail": {"userIdentity": {"type": ["Root"]} } }
            """, [new EventRuleTarget("root-activity-alert", "arn:aws:sns:us-east-1:123456789012:security-critical")]);

        await host.PublishAsync(IngestedBatches.Of(
            CloudTrail("ConsoleLogin", "signin.amazonaws.com", identityType: "IAMUser", account: account),
            CloudTrail("ConsoleLogin", "signin.amazonaws.com", identityType: "Root", account: account)));

        var (target, message) = Assert.Single(await host.ScheduledAsync(rule, 1));
        Assert.Equal("arn:aws:sns:us-east-1:123456789012:security-critical", target);
        Assert.Equal("AWS Console Sign In via CloudTrail", message.Body["detail-type"]!.GetValue<string>());
        Assert.Equal("Root", message.Body["detail"]!["userIdentity"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_disabled_rule_and_a_deleted_rule_schedule_nothing()
    {
        var disabled = Unique("disabled");
        var deleted = Unique("deleted");
        var marker = Unique("marker");
        var eventName = Unique("PutUserPolicy");
        var pattern = $$$"""{"source": ["aws.iam"], "detail": {"eventName": ["{{{eventName}}}"]}}""";
        await host.ProvisionAsync(disabled, pattern, [new EventRuleTarget("t", IamTarget)], state: "DISABLED");
        await host.ProvisionAsync(deleted, pattern, [new EventRuleTarget("t", IamTarget)]);
        await host.DeleteAsync(deleted, version: 2);
        await host.ProvisionAsync(marker, pattern, [new EventRuleTarget("t", IamTarget)]);

        await host.PublishAsync(IngestedBatches.Of(CloudTrail(eventName, "iam.amazonaws.com")));

        Assert.Single(await host.ScheduledAsync(marker, 1));
        Assert.Empty(host.Scheduled(disabled));
        Assert.Empty(host.Scheduled(deleted));
    }

    [Fact]
    public async Task Input_path_and_input_transformer_shape_what_each_target_receives()
    {
        var rule = Unique("shaped");
        var eventName = Unique("AttachUserPolicy");
        await host.ProvisionAsync(rule, $$$"""{"source": ["aws.iam"], "detail": {"eventName": ["{{{eventName}}}"]}}""",
        [
            new EventRuleTarget("detail-only", "detail-topic", InputPath: "$.detail.userIdentity"),
            new EventRuleTarget("summary", "summary-topic", InputTransformer: new EventRuleInputTransformer(
                new Dictionary<string, string> { ["who"] = "$.detail.userIdentity.arn", ["what"] = "$.detail.eventName" },
                """{"text": "<who> called <what>", "rule": "<aws.events.rule-name>", "who": <who>}""")),
        ]);

        await host.PublishAsync(IngestedBatches.Of(CloudTrail(eventName, "iam.amazonaws.com")));

        var scheduled = (await host.ScheduledAsync(rule, 2)).ToDictionary(s => s.Target, s => s.Message.Body);
        Assert.Equal("IAMUser", scheduled["detail-topic"]["type"]!.GetValue<string>());
        Assert.Equal($"arn:aws:iam::123456789012:user/alice called {eventName}", scheduled["summary-topic"]["text"]!.GetValue<string>());
        Assert.Equal(rule, scheduled["summary-topic"]["rule"]!.GetValue<string>());
        Assert.Equal("arn:aws:iam::123456789012:user/alice", scheduled["summary-topic"]["who"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_raised_finding_and_an_alarm_state_change_match_rules_on_the_platforms_own_sources()
    {
        var findingRule = Unique("findings");
        var alarmRule = Unique("alarms");
        var ruleId = Unique("rule-id");
        var alarmName = Unique("HighFailedLogins");
        await host.ProvisionAsync(findingRule,
            $$$"""{"source": ["platform.detection"], "detail-type": ["Finding Raised"], "detail": {"ruleId": ["{{{ruleId}}}"], "severity": ["high", "critical"]}}""",
            [new EventRuleTarget("soc", "security-alerts")]);
        await host.ProvisionAsync(alarmRule,
            $$$"""{"source": ["platform.alerting"], "detail-type": ["CloudWatch Alarm State Change"], "detail": {"alarmName": ["{{{alarmName}}}"], "state": {"value": ["ALARM"]} } }""",
            [new EventRuleTarget("pager", "pager-topic")]);

        await host.PublishAsync(new FindingRaised(
            Guid.NewGuid(), ruleId, "Root used", null, FindingSeverity.High, FindingStatus.Open, 1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
            "123456789012", "us-east-1", "root", ["203.0.113.9"], [], ["T1078"], ["initial-access"], [], 1));
        await host.PublishAsync(new AlarmStateChanged(alarmName, "OK", "INSUFFICIENT_DATA", "no data", null, DateTimeOffset.UtcNow, 1, []));
        await host.PublishAsync(new AlarmStateChanged(alarmName, "INSUFFICIENT_DATA", "ALARM", "Threshold Crossed", null, DateTimeOffset.UtcNow, 2, ["pager-topic"]));

        var finding = Assert.Single(await host.ScheduledAsync(findingRule, 1)).Message.Body;
        Assert.Equal("platform.detection", finding["source"]!.GetValue<string>());
        Assert.Equal(ruleId, finding["detail"]!["ruleId"]!.GetValue<string>());
        var alarm = Assert.Single(await host.ScheduledAsync(alarmRule, 1)).Message.Body;
        Assert.Equal("ALARM", alarm["detail"]!["state"]!["value"]!.GetValue<string>());
        Assert.Equal("INSUFFICIENT_DATA", alarm["detail"]!["previousState"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_compliance_change_matches_a_rule_written_for_aws_configs_compliance_event_and_a_redelivery_schedules_the_same_key()
    {
        var rule = Unique("noncompliant");
        var configRule = Unique("s3-bucket-server-side-encryption-enabled");
        await host.ProvisionAsync(rule,
            $$$"""{"source": ["platform.compliance"], "detail-type": ["Config Rules Compliance Change"], "detail": {"configRuleName": ["{{{configRule}}}"], "messageType": ["ComplianceChangeNotification"], "newEvaluationResult": {"complianceType": ["NON_COMPLIANT"]} } }""",
            [new EventRuleTarget("soc", "security-alerts")]);
        var orderedAt = DateTimeOffset.Parse("2026-11-30T10:00:00Z");
        var broken = new ComplianceChanged(configRule, "AWS::S3::Bucket", "logs-bucket", "123456789012", "eu-west-1",
            "COMPLIANT", "NON_COMPLIANT", "The bucket has no default encryption.", orderedAt, 2);

        await host.PublishAsync(broken);
        await host.PublishAsync(broken); // redelivered
        await host.PublishAsync(broken with { OldComplianceType = "NON_COMPLIANT", NewComplianceType = "COMPLIANT", Version = 3 });

        var scheduled = await host.ScheduledAsync(rule, 2);
        await Task.Delay(500);
        Assert.Equal(2, (await host.ScheduledAsync(rule, 2)).Count);
        Assert.Single(scheduled.Select(s => s.Message.IdempotencyKey).Distinct());
        var @event = scheduled[0].Message.Body;
        Assert.Equal("platform.compliance", @event["source"]!.GetValue<string>());
        Assert.Equal("eu-west-1", @event["region"]!.GetValue<string>());
        Assert.Equal("123456789012", @event["account"]!.GetValue<string>());
        var detail = @event["detail"]!;
        Assert.Equal("logs-bucket", detail["resourceId"]!.GetValue<string>());
        Assert.Equal("AWS::S3::Bucket", detail["resourceType"]!.GetValue<string>());
        Assert.Equal("NON_COMPLIANT", detail["newEvaluationResult"]!["complianceType"]!.GetValue<string>());
        Assert.Equal("COMPLIANT", detail["oldEvaluationResult"]!["complianceType"]!.GetValue<string>());
        Assert.Equal(configRule, detail["newEvaluationResult"]!["evaluationResultIdentifier"]!["evaluationResultQualifier"]!["configRuleName"]!.GetValue<string>());
        Assert.Equal("2026-11-30T10:00:00.000Z", detail["newEvaluationResult"]!["evaluationResultIdentifier"]!["orderingTimestamp"]!.GetValue<string>());
        Assert.Equal("The bucket has no default encryption.", detail["newEvaluationResult"]!["annotation"]!.GetValue<string>());
    }

    private static NormalizedLogEvent CloudTrail(
        string eventName, string eventSource, string identityType = "IAMUser", string account = "123456789012")
    {
        var eventId = Guid.NewGuid().ToString();
        var record = JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["eventVersion"] = "1.08",
            ["eventID"] = eventId,
            ["eventTime"] = "2024-05-01T12:00:00Z",
            ["eventSource"] = eventSource,
            ["eventName"] = eventName,
            ["eventType"] = eventSource == "signin.amazonaws.com" ? "AwsConsoleSignIn" : "AwsApiCall",
            ["awsRegion"] = "us-east-1",
            ["recipientAccountId"] = account,
            ["sourceIPAddress"] = "203.0.113.9",
            ["userIdentity"] = new Dictionary<string, string> { ["type"] = identityType, ["arn"] = "arn:aws:iam::123456789012:user/alice" },
        });
        return new NormalizedLogEvent(
            eventId, LogSourceTypes.CloudTrail, DateTimeOffset.Parse("2024-05-01T12:00:00Z"), null, null, account, "us-east-1",
            eventSource, eventName, "arn:aws:iam::123456789012:user/alice", "203.0.113.9", null, LogDocument.FromElement(record));
    }
}

/// <summary>Records what the event rules schedule, standing in for the delivery engine behind <see cref="IDeliveryScheduler"/>.</summary>
public sealed class RecordingDeliveryScheduler : IDeliveryScheduler
{
    public ConcurrentQueue<(string Target, DeliveryMessage Message)> Scheduled { get; } = new();

    public Task ScheduleAsync(string target, DeliveryMessage message, CancellationToken cancellationToken)
    {
        Scheduled.Enqueue((target, message));
        return Task.CompletedTask;
    }
}

/// <summary>An alerting service whose deliveries are recorded, shared by the event rule tests (each with rules of its own).</summary>
public sealed class EventRulesHost : ServiceFixture<AlertingDbContext>
{
    public RecordingDeliveryScheduler Scheduler { get; } = new();

    protected override string Purpose => "event-rules";

    public override ServiceHost<AlertingDbContext> StartHost() => new(
        PlatformResources.AlertingDb, ConnectionString, Prefix,
        configureServices: services => services.AddSingleton<IDeliveryScheduler>(Scheduler));

    /// <summary>Provisions a rule on the bus, as provisioning publishes it, and waits until the service applies it.</summary>
    public async Task ProvisionAsync(string name, string pattern, IReadOnlyList<EventRuleTarget> targets, string state = "ENABLED", long version = 1)
    {
        await PublishAsync(new EventRuleProvisioned(name, new EventRuleSpec(name, pattern, state, null, "default", targets), version));
        var rules = Host.Services.GetRequiredService<LiveEventRules>();
        Assert.True(await Eventually.ObserveAsync(() => Task.FromResult(rules.Current.ContainsKey(name)), applied => applied));
    }

    public async Task DeleteAsync(string name, long version)
    {
        await PublishAsync(new EventRuleDeleted(name, version));
        var rules = Host.Services.GetRequiredService<LiveEventRules>();
        Assert.False(await Eventually.ObserveAsync(() => Task.FromResult(rules.Current.ContainsKey(name)), present => !present));
    }

    public IReadOnlyList<(string Target, DeliveryMessage Message)> Scheduled(string rule) =>
        [.. Scheduler.Scheduled.Where(s => s.Message.IdempotencyKey.StartsWith($"event-rule:{rule}:", StringComparison.Ordinal))];

    /// <summary>What the rule scheduled, once it has scheduled <paramref name="count"/> messages (and a moment more, to catch extras).</summary>
    public async Task<IReadOnlyList<(string Target, DeliveryMessage Message)>> ScheduledAsync(string rule, int count)
    {
        await Eventually.ObserveAsync(() => Task.FromResult(Scheduled(rule).Count), n => n >= count);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        return Scheduled(rule);
    }
}

[CollectionDefinition(Name)]
public sealed class EventRulesCollection : ICollectionFixture<EventRulesHost>
{
    public const string Name = "event-rules";
}
