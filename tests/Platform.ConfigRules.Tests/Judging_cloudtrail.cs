using static Platform.ConfigRules.Tests.Rules;

namespace Platform.ConfigRules.Tests;

/// <summary>CLOUD_TRAIL_ENABLED as AWS documents it: a logging trail in the account, optionally delivering where told.</summary>
public sealed class Judging_cloudtrail
{
    private static readonly IConfigRule Rule = AwsRule("CLOUD_TRAIL_ENABLED");

    [Fact]
    public void The_real_sample_trail_a_multi_region_trail_without_status_counts_as_logging()
    {
        var trail = ConfigurationItemSamples.Sample("AWS_Cloudtrail_Trail.json");

        var verdict = Assert.Single(Evaluate(Rule, new RuleInput(trail.AwsAccountId, "eu-west-1", null, [trail], Items.Now)));

        Assert.Equal(ComplianceTypes.Compliant, verdict.ComplianceType);
        Assert.Equal((ConfigurationItem.AccountResourceType, "212591712841"), (verdict.ResourceType, verdict.ResourceId));
    }

    [Fact]
    public void A_stopped_trail_is_non_compliant_and_one_logging_trail_is_enough()
    {
        var stopped = Items.Trail("audit", """{"IsLogging": false, "LatestDeliveryTime": null}""");
        var logging = Items.Trail("other", """{"IsLogging": true}""");

        Assert.Equal(ComplianceTypes.NonCompliant, Scheduled(Rule, stopped).ComplianceType);
        Assert.Equal(ComplianceTypes.Compliant, Scheduled(Rule, stopped, logging).ComplianceType);
    }

    [Fact]
    public void No_trail_and_a_deleted_trail_are_non_compliant()
    {
        Assert.Equal(ComplianceTypes.NonCompliant, Scheduled(Rule).ComplianceType);
        Assert.Equal(ComplianceTypes.NonCompliant, Scheduled(Rule, Items.Deleted(Items.Trail("audit"))).ComplianceType);
    }

    [Fact]
    public void A_single_region_trail_of_another_region_does_not_cover_this_one()
    {
        Assert.Equal(ComplianceTypes.NonCompliant, Scheduled(Rule, Items.Trail("audit", region: "eu-west-1")).ComplianceType);
        Assert.Equal(ComplianceTypes.Compliant, Scheduled(Rule, Items.Trail("audit", region: "eu-west-1", multiRegion: true)).ComplianceType);
    }

    [Fact]
    public void Trails_of_other_accounts_do_not_count()
    {
        var foreign = Items.Trail("audit") with { AwsAccountId = "999999999999" };

        Assert.Equal(ComplianceTypes.NonCompliant, Scheduled(Rule, foreign).ComplianceType);
    }

    [Fact]
    public void Parameters_name_the_bucket_topic_and_log_group_a_logging_trail_must_deliver_to()
    {
        var trail = Items.Trail("audit", extra: """, "snsTopicARN": "arn:aws:sns:us-east-1:123456789012:trail", "cloudWatchLogsLogGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:trail:*" """);

        Assert.Equal(ComplianceTypes.Compliant, Scheduled(AwsRule("CLOUD_TRAIL_ENABLED", """{"s3BucketName": "trail-logs", "snsTopicArn": "arn:aws:sns:us-east-1:123456789012:trail"}"""), trail).ComplianceType);
        Assert.Equal(ComplianceTypes.Compliant, Scheduled(AwsRule("CLOUD_TRAIL_ENABLED", """{"cloudWatchLogsLogGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:trail:*"}"""), trail).ComplianceType);
        var elsewhere = Scheduled(AwsRule("CLOUD_TRAIL_ENABLED", """{"s3BucketName": "other-bucket"}"""), trail);
        Assert.Equal(ComplianceTypes.NonCompliant, elsewhere.ComplianceType);
        Assert.Contains("other-bucket", elsewhere.Annotation);
    }

    [Fact]
    public void Stopping_the_logging_re_judges_the_account_on_the_trails_change()
    {
        var before = Items.Trail("audit", """{"IsLogging": true}""");
        var after = Items.Trail("audit", """{"IsLogging": false}""");

        Assert.True(Rule.IsTriggeredBy(after));
        Assert.Equal(["AWS::CloudTrail::Trail"], Rule.ContextResourceTypes);
        var verdict = OnChange(Rule, after, before);
        Assert.Equal(ComplianceTypes.NonCompliant, verdict.ComplianceType);
        Assert.Equal(Items.Account, verdict.ResourceId);
    }

    [Fact]
    public void Deleting_the_only_trail_re_judges_the_account_non_compliant() =>
        Assert.Equal(ComplianceTypes.NonCompliant, OnChange(Rule, Items.Deleted(Items.Trail("audit")), Items.Trail("audit")).ComplianceType);
}
