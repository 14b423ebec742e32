using Platform.Contracts.Ingestion;

namespace Platform.Detection.Tests;

/// <summary>
/// A detection service whose call-rate Insights count read-only calls too (<c>CountReadOnlyCalls</c>): AWS's
/// ApiCallRateInsight counts write calls only, and a burst of <c>DescribeInstances</c> (reconnaissance) is read-only.
/// </summary>
public sealed class ReadOnlyCallsDetectionHost : DetectionHost
{
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Platform:Detection:Insights:CountReadOnlyCalls"] = "true",
    };
}

/// <summary>
/// CloudTrail Insights through the real service, by event time: an hour and more of steady calls is the baseline, a
/// burst far above it is an Insight whose start and end events fall on its first unusual minute and its first normal
/// one, raised as a finding and published in CloudTrail's Insights shape.
/// </summary>
public sealed class CloudTrail_insights(ReadOnlyCallsDetectionHost detection) : IClassFixture<ReadOnlyCallsDetectionHost>
{
    [Fact]
    public async Task A_burst_of_DescribeInstances_twenty_times_the_baseline_is_an_Insight_from_its_first_to_its_first_normal_minute()
    {
        var account = InsightCalls.UniqueAccount();
        var principal = CloudTrail.UniqueArn("recon");
        var start = InsightCalls.MinuteHoursAgo(3);

        await InsightCalls.PublishAsync(detection, InsightCalls.SteadyThenBurst(account, principal, "DescribeInstances", readOnly: true, start, burstPerMinute: 40));

        var (started, ended) = await InsightCalls.InsightOfAsync(detection, account, CloudTrailInsightEvent.ApiCallRateInsight);
        Assert.Equal(start.AddMinutes(InsightCalls.BaselineMinutes), started.EventTime);
        Assert.Equal(start.AddMinutes(InsightCalls.BaselineMinutes + InsightCalls.BurstMinutes), ended.EventTime);
        Assert.Equal(CloudTrailInsightEvent.AwsCloudTrailInsight, started.EventType);
        Assert.Equal("ec2.amazonaws.com", started.InsightDetails.EventSource);
        Assert.Equal("DescribeInstances", started.InsightDetails.EventName);
        Assert.Equal(started.SharedEventId, ended.SharedEventId);
        var statistics = started.InsightDetails.InsightContext.Statistics;
        Assert.Equal(2, statistics.Baseline.Average);
        Assert.Equal(40, statistics.Insight.Average);
        Assert.Equal(InsightCalls.BaselineMinutes, statistics.BaselineDuration);
        Assert.Equal(InsightCalls.BurstMinutes, ended.InsightDetails.InsightContext.Statistics.InsightDuration);
        Assert.Equal(40, ended.InsightDetails.InsightContext.Statistics.Insight.Average);
        var principals = Assert.Single(started.InsightDetails.InsightContext.Attributions, a => a.Attribute == "userIdentityArn");
        Assert.Equal(principal, Assert.Single(principals.Insight).Value);
        Assert.Equal(InsightCalls.UserAgent, started.InsightDetails.InsightContext.Attributions.Single(a => a.Attribute == "userAgent").Insight[0].Value);

        var finding = await InsightCalls.FindingOfAsync(detection, account, "aws-cloudtrail-insight-api-call-rate");
        Assert.Equal(FindingSeverity.Medium, finding.Severity);
        Assert.Equal(principal, finding.Principal);
        Assert.Equal(started.EventTime, finding.FirstSeenAt);
        Assert.Equal([started.EventId.ToString(), ended.EventId.ToString()], finding.Evidence.Select(e => e.EventId));
        await Eventually.ObserveAsync(
            () => Task.FromResult(detection.Bus.Raised.Count(r => r.FindingId == finding.Id && r.RuleId == "aws-cloudtrail-insight-api-call-rate")), n => n == 1);
    }

    [Fact]
    public async Task A_redelivered_batch_counts_its_minutes_once()
    {
        var account = InsightCalls.UniqueAccount();
        var principal = CloudTrail.UniqueArn("redelivered");
        var batches = InsightCalls.SteadyThenBurst(account, principal, "DescribeInstances", readOnly: true, InsightCalls.MinuteHoursAgo(3), burstPerMinute: 40);

        // The baseline twice under one message id: a double count would make its average 4 and the burst not unusual enough.
        await InsightCalls.PublishAsync(detection, [batches[0], batches[0], batches[1]], redeliverFirst: true);

        var (started, _) = await InsightCalls.InsightOfAsync(detection, account, CloudTrailInsightEvent.ApiCallRateInsight);
        Assert.Equal(2, started.InsightDetails.InsightContext.Statistics.Baseline.Average);
        Assert.Single(detection.Bus.Insights, i => i.RecipientAccountId == account && i.InsightDetails.State == CloudTrailInsightEvent.Start);
    }
}

/// <summary>Insights with the default settings: AWS's, where the call rate counts write calls only.</summary>
[Collection(DetectionCollection.Name)]
public sealed class CloudTrail_insights_by_default(DetectionHost detection)
{
    [Fact]
    public async Task A_burst_of_AccessDenied_errors_is_an_error_rate_Insight_and_read_only_calls_make_no_call_rate_Insight()
    {
        var account = InsightCalls.UniqueAccount();
        var principal = CloudTrail.UniqueArn("denied");
        var start = InsightCalls.MinuteHoursAgo(3);

        await InsightCalls.PublishAsync(detection, InsightCalls.SteadyThenBurst(
            account, principal, "DescribeInstances", readOnly: true, start, burstPerMinute: 30, burstErrorCode: "AccessDenied"));

        var (started, ended) = await InsightCalls.InsightOfAsync(detection, account, CloudTrailInsightEvent.ApiErrorRateInsight);
        Assert.Equal(start.AddMinutes(InsightCalls.BaselineMinutes), started.EventTime);
        Assert.Equal(start.AddMinutes(InsightCalls.BaselineMinutes + InsightCalls.BurstMinutes), ended.EventTime);
        Assert.Equal(0, started.InsightDetails.InsightContext.Statistics.Baseline.Average);
        Assert.Equal(28, started.InsightDetails.InsightContext.Statistics.Insight.Average);
        var errorCodes = started.InsightDetails.InsightContext.Attributions.Single(a => a.Attribute == "errorCode");
        Assert.Equal("AccessDenied", Assert.Single(errorCodes.Insight).Value);
        var finding = await InsightCalls.FindingOfAsync(detection, account, "aws-cloudtrail-insight-api-error-rate");
        Assert.Equal(principal, finding.Principal);
        Assert.DoesNotContain(detection.Bus.Insights, i => i.RecipientAccountId == account && i.InsightDetails.InsightType == CloudTrailInsightEvent.ApiCallRateInsight);
    }

    [Fact]
    public async Task A_replay_of_last_weeks_write_calls_yields_last_weeks_Insights()
    {
        var account = InsightCalls.UniqueAccount();
        var principal = CloudTrail.UniqueArn("replayed");
        var start = InsightCalls.MinuteHoursAgo(24 * 8);

        await InsightCalls.PublishAsync(detection, InsightCalls.SteadyThenBurst(account, principal, "CreateTags", readOnly: false, start, burstPerMinute: 40));

        var (started, ended) = await InsightCalls.InsightOfAsync(detection, account, CloudTrailInsightEvent.ApiCallRateInsight);
        Assert.Equal(start.AddMinutes(InsightCalls.BaselineMinutes), started.EventTime);
        Assert.Equal(start.AddMinutes(InsightCalls.BaselineMinutes + InsightCalls.BurstMinutes), ended.EventTime);
        var finding = await InsightCalls.FindingOfAsync(detection, account, "aws-cloudtrail-insight-api-call-rate");
        Assert.Equal(started.EventTime, finding.FirstSeenAt);
        Assert.Equal(ended.EventTime, finding.LastSeenAt);
    }
}

/// <summary>The calls of one account the Insights tests publish, and what they wait for.</summary>
public static class InsightCalls
{
    public const int BaselineMinutes = 70;
    public const int BurstMinutes = 3;
    public const int BaselinePerMinute = 2;
    public const string UserAgent = "aws-cli/2.15.0 Python/3.11.6";

    /// <summary>An account id of the test's own: Insights are kept per account, region and API.</summary>
    public static string UniqueAccount() => Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static DateTimeOffset MinuteHoursAgo(int hours)
    {
        var now = CloudTrail.Now().AddHours(-hours);
        return new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
    }

    /// <summary>
    /// Two batches: <see cref="BaselineMinutes"/> minutes of <see cref="BaselinePerMinute"/> calls; then
    /// <see cref="BurstMinutes"/> minutes of <paramref name="burstPerMinute"/> calls (failing with
    /// <paramref name="burstErrorCode"/> when given, beside the steady ones), and four steady minutes again.
    /// </summary>
    public static LogEventsIngested[] SteadyThenBurst(
        string account, string principal, string eventName, bool readOnly, DateTimeOffset start, int burstPerMinute, string? burstErrorCode = null)
    {
        IEnumerable<JsonObject> Minutes(int from, int count, int perMinute, string? errorCode) =>
            Enumerable.Range(from, count).SelectMany(minute => Enumerable.Range(0, perMinute).Select(i =>
                Call(account, principal, eventName, readOnly, start.AddMinutes(minute).AddSeconds(i * 59 / perMinute), errorCode)));

        var burst = burstErrorCode is null
            ? Minutes(BaselineMinutes, BurstMinutes, burstPerMinute, null)
            : Minutes(BaselineMinutes, BurstMinutes, BaselinePerMinute, null).Concat(Minutes(BaselineMinutes, BurstMinutes, burstPerMinute - BaselinePerMinute, burstErrorCode));
        return
        [
            CloudTrail.Batch(Minutes(0, BaselineMinutes, BaselinePerMinute, null)),
            CloudTrail.Batch(burst.Concat(Minutes(BaselineMinutes + BurstMinutes, 4, BaselinePerMinute, null))),
        ];
    }

    /// <summary>Publishes the batches one after the other, each consumed before the next (the first twice under one id when asked).</summary>
    public static async Task PublishAsync(DetectionHost detection, IReadOnlyList<LogEventsIngested> batches, bool redeliverFirst = false)
    {
        var firstId = Guid.NewGuid();
        for (var i = 0; i < batches.Count; i++)
        {
            var redelivery = redeliverFirst && i == 1;
            var messageId = i == 0 || redelivery ? firstId : Guid.NewGuid();
            await detection.Bus.PublishAsync(batches[i], messageId);
            var expected = redelivery ? 2 : 1;
            await Eventually.ObserveAsync(() => Task.FromResult(detection.Consumed.CountOf(messageId)), n => n >= expected);
        }
    }

    /// <summary>The start and end events of the account's one Insight of <paramref name="insightType"/>.</summary>
    public static async Task<(CloudTrailInsightEvent Started, CloudTrailInsightEvent Ended)> InsightOfAsync(
        DetectionHost detection, string account, string insightType)
    {
        var events = await Eventually.ObserveAsync(
            () => Task.FromResult(detection.Bus.Insights
                .Where(i => i.RecipientAccountId == account && i.InsightDetails.InsightType == insightType).OrderBy(i => i.EventTime).ToList()),
            list => list.Count >= 2);
        Assert.Equal([CloudTrailInsightEvent.Start, CloudTrailInsightEvent.End], events.Select(e => e.InsightDetails.State));
        return (events[0], events[1]);
    }

    /// <summary>The account's one finding of <paramref name="ruleId"/>, once it holds both events of its Insight.</summary>
    public static async Task<FindingView> FindingOfAsync(DetectionHost detection, string account, string ruleId)
    {
        var findings = await detection.WaitForFindingsAsync($"account={account}&ruleId={ruleId}", f => f.Count > 0 && f[0].Evidence.Count == 2);
        return Assert.Single(findings);
    }

    private static JsonObject Call(string account, string principal, string eventName, bool readOnly, DateTimeOffset time, string? errorCode)
    {
        var record = new JsonObject
        {
            ["eventVersion"] = "1.08",
            ["eventID"] = Guid.NewGuid().ToString(),
            ["eventTime"] = time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["eventSource"] = "ec2.amazonaws.com",
            ["eventName"] = eventName,
            ["awsRegion"] = "eu-west-1",
            ["sourceIPAddress"] = "198.51.100.7",
            ["userAgent"] = UserAgent,
            ["recipientAccountId"] = account,
            ["userIdentity"] = new JsonObject { ["type"] = "IAMUser", ["arn"] = principal, ["accountId"] = account },
            ["readOnly"] = readOnly,
            ["eventType"] = "AwsApiCall",
            ["managementEvent"] = true,
            ["eventCategory"] = "Management",
        };
        if (errorCode is not null)
        {
            record["errorCode"] = errorCode;
            record["errorMessage"] = "You are not authorized to perform this operation.";
        }

        return record;
    }
}
