namespace Platform.Alerting.Delivery;

/// <summary>
/// Runs an alarm's actions when its state changes: one delivery to each action, its body the notification CloudWatch
/// publishes to SNS for an alarm, its idempotency key the alarm, the transition's version and the action, so a
/// redelivered <see cref="AlarmStateChanged"/> sends nothing twice. Competing consumers: instances share the queue.
/// </summary>
public sealed class AlarmActionsConsumer(IDeliveryScheduler scheduler) : IConsumer<AlarmStateChanged>
{
    public async Task Consume(ConsumeContext<AlarmStateChanged> context)
    {
        var changed = context.Message;
        foreach (var action in changed.Actions.Distinct(StringComparer.Ordinal))
        {
            var target = DeliveryTarget.Parse(action, out _);
            var (region, account) = (target?.Region ?? "us-east-1", target?.Account ?? "000000000000");
            var subject = $"{changed.NewState}: \"{changed.AlarmName}\" in {RegionName(region)}";
            await scheduler.ScheduleAsync(
                action,
                new DeliveryMessage($"alarm:{changed.AlarmName}:{changed.Version}:{action}", subject, Notification(changed, region, account)),
                context.CancellationToken);
        }
    }

    /// <summary>The alarm notification as CloudWatch writes it into an SNS message (region and account from the action's ARN).</summary>
    public static JsonObject Notification(AlarmStateChanged changed, string region, string account) => new()
    {
        ["AlarmName"] = changed.AlarmName,
        ["AlarmDescription"] = null,
        ["AWSAccountId"] = account,
        ["NewStateValue"] = changed.NewState,
        ["NewStateReason"] = changed.Reason,
        ["StateChangeTime"] = changed.Timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture),
        ["Region"] = RegionName(region),
        ["AlarmArn"] = $"arn:aws:cloudwatch:{region}:{account}:alarm:{changed.AlarmName}",
        ["OldStateValue"] = changed.OldState,
        ["StateReasonData"] = changed.ReasonData,
    };

    /// <summary>CloudWatch names the region in words in its notifications.</summary>
    private static string RegionName(string region) => region switch
    {
        "us-east-1" => "US East (N. Virginia)",
        "us-east-2" => "US East (Ohio)",
        "us-west-1" => "US West (N. California)",
        "us-west-2" => "US West (Oregon)",
        "eu-west-1" => "EU (Ireland)",
        "eu-west-2" => "EU (London)",
        "eu-central-1" => "EU (Frankfurt)",
        "ap-northeast-1" => "Asia Pacific (Tokyo)",
        "ap-southeast-1" => "Asia Pacific (Singapore)",
        "ap-southeast-2" => "Asia Pacific (Sydney)",
        _ => region,
    };
}
