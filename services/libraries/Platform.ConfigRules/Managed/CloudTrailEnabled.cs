namespace Platform.ConfigRules.Managed;

/// <summary>
/// <c>CLOUD_TRAIL_ENABLED</c> (periodic): COMPLIANT when a trail of the account that CloudTrail shows in the rule's region
/// (one of the region, or a multi-region trail) is logging and, when given, delivers to the <c>s3BucketName</c> bucket,
/// the <c>snsTopicArn</c> topic and the <c>cloudWatchLogsLogGroupArn</c> log group; NON_COMPLIANT otherwise, no trail
/// included. A deleted trail does not count, nor one whose <c>supplementaryConfiguration.TrailStatus.IsLogging</c> is
/// false (a trail without TrailStatus counts as logging).
/// </summary>
public sealed class CloudTrailEnabled : PeriodicAccountRule
{
    public const string TrailType = "AWS::CloudTrail::Trail";

    public override string Identifier => "CLOUD_TRAIL_ENABLED";

    public override IReadOnlyCollection<string> ContextResourceTypes { get; } = [TrailType];

    public override IReadOnlyList<ManagedRuleParameter> Parameters { get; } =
    [
        ManagedRuleParameter.Text("s3BucketName"),
        ManagedRuleParameter.Text("snsTopicArn"),
        ManagedRuleParameter.Text("cloudWatchLogsLogGroupArn"),
    ];

    protected override Judgement Judge(AccountItems account, ManagedRuleArguments arguments)
    {
        var trails = account.OfType(TrailType)
            .Where(t => t.AwsRegion == account.Region || ItemJson.Flag(Field(t, "isMultiRegionTrail")) == true)
            .ToList();
        if (trails.Count == 0)
        {
            return Judgement.NonCompliant($"no CloudTrail trail of the account covers {account.Region}");
        }
        var logging = trails.Where(t => ItemJson.Flag(ItemJson.At(t.SupplementaryConfiguration, "TrailStatus", "IsLogging")) != false).ToList();
        if (logging.Count == 0)
        {
            return Judgement.NonCompliant($"no trail is logging: {string.Join(", ", trails.Select(t => t.ResourceId))} stopped");
        }
        var wanted = new[] { ("s3BucketName", "s3BucketName"), ("snsTopicArn", "snsTopicARN"), ("cloudWatchLogsLogGroupArn", "cloudWatchLogsLogGroupArn") }
            .Select(p => (Parameter: p.Item1, Field: p.Item2, Value: arguments.Text(p.Item1)))
            .Where(p => p.Value is not null)
            .ToList();
        if (logging.FirstOrDefault(t => wanted.All(w => ItemJson.Text(Field(t, w.Field)) == w.Value)) is { } trail)
        {
            return Judgement.Compliant($"trail {trail.ResourceId} is logging");
        }
        return Judgement.NonCompliant($"no logging trail delivers to {string.Join(" and ", wanted.Select(w => $"{w.Parameter} {w.Value}"))}");
    }

    /// <summary>A trail's configuration field, whatever casing Config gave it (<c>snsTopicARN</c>, <c>SnsTopicARN</c>).</summary>
    private static JsonElement? Field(ConfigurationItem trail, string name) =>
        trail.Configuration is { ValueKind: JsonValueKind.Object } configuration
            ? configuration.EnumerateObject().Where(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(p => (JsonElement?)p.Value).FirstOrDefault()
            : null;
}
