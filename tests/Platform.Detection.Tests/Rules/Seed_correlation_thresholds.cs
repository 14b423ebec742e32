namespace Platform.Detection.Tests.Rules;

/// <summary>The seed's threshold detections, at, below and around their thresholds and windows.</summary>
public class Seed_correlation_thresholds
{
    private static Task<List<SigmaCorrelationResult>> ResultsAsync(IEnumerable<LogEvent> events) =>
        RuleHarness.CorrelationResultsAsync(RuleHarness.Builtin, events);

    /// <summary>Asserts the events give one result only, of the rule and for the group, and returns it.</summary>
    private static async Task<SigmaCorrelationResult> OnlyResultAsync(IEnumerable<LogEvent> events, string rule, string group)
    {
        var result = Assert.Single(await ResultsAsync(events));
        Assert.Equal((rule, group), (result.Rule.Key, result.Group.Single().Value));
        return result;
    }

    private static IEnumerable<LogEvent> ConsoleFailures(int count, string ip, double spacingSeconds = 10) =>
        Enumerable.Range(0, count).Select(i => Records.CloudTrailAt(i * spacingSeconds, Records.ConsoleLoginFailure(ip)));

    [Fact]
    public async Task Ten_failed_console_logins_from_one_IP_in_five_minutes_do_not_fire()
    {
        var results = await ResultsAsync(ConsoleFailures(10, "198.51.100.20"));

        Assert.DoesNotContain(results, r => r.Rule.Key == RuleIds.FailedLoginsPerSourceIp);
    }

    [Fact]
    public async Task The_eleventh_failed_login_fires_once_per_source_with_the_count()
    {
        var results = await ResultsAsync(ConsoleFailures(11, "198.51.100.20"));

        var result = Assert.Single(results, r => r.Rule.Key == RuleIds.FailedLoginsPerSourceIp);
        Assert.Equal(11, result.EventCount);
        Assert.Equal([new KeyValuePair<string, string>("ip", "198.51.100.20")], result.Group);
    }

    [Fact]
    public async Task Failures_of_different_source_IPs_are_counted_apart()
    {
        var results = await ResultsAsync(ConsoleFailures(6, "198.51.100.20").Concat(ConsoleFailures(6, "198.51.100.21")));

        Assert.DoesNotContain(results, r => r.Rule.Key == RuleIds.FailedLoginsPerSourceIp);
    }

    [Fact]
    public async Task Console_and_application_failures_from_one_IP_add_up()
    {
        var events = ConsoleFailures(5, "198.51.100.20")
            .Concat(Enumerable.Range(0, 6).Select(i => Records.ApplicationLoginAt(60 + i, "198.51.100.20", "FAILED")));

        var results = await ResultsAsync(events);

        Assert.Contains(results, r => r.Rule.Key == RuleIds.FailedLoginsPerSourceIp && r.EventCount == 11);
    }

    [Fact]
    public async Task Successful_application_logins_do_not_count()
    {
        var events = Enumerable.Range(0, 10).Select(i => Records.ApplicationLoginAt(i, "198.51.100.20", "FAILED"))
            .Concat(Enumerable.Range(0, 5).Select(i => Records.ApplicationLoginAt(20 + i, "198.51.100.20", "SUCCESS")));

        Assert.Empty(await ResultsAsync(events));
    }

    [Fact]
    public async Task Eleven_failures_spanning_exactly_five_minutes_do_not_fire()
    {
        // The first and the eleventh are exactly one timespan apart: they never share a window.
        var events = ConsoleFailures(11, "198.51.100.20", spacingSeconds: 30);

        Assert.DoesNotContain(await ResultsAsync(events), r => r.Rule.Key == RuleIds.FailedLoginsPerSourceIp);
    }

    [Fact]
    public async Task Eleven_failures_just_inside_five_minutes_fire()
    {
        var events = ConsoleFailures(11, "198.51.100.20", spacingSeconds: 29.9);

        Assert.Contains(await ResultsAsync(events), r => r.Rule.Key == RuleIds.FailedLoginsPerSourceIp);
    }

    [Fact]
    public async Task A_late_failure_still_counts_in_the_window_it_belongs_to()
    {
        var inOrder = ConsoleFailures(11, "198.51.100.20").ToList();
        var lateFirst = inOrder.Skip(1).Append(inOrder[0]);

        Assert.Contains(await ResultsAsync(lateFirst), r => r.Rule.Key == RuleIds.FailedLoginsPerSourceIp);
    }

    private static IEnumerable<LogEvent> FailedCalls(int count, double spacingSeconds = 1) =>
        Enumerable.Range(0, count).Select(i => Records.CloudTrailAt(i * spacingSeconds, Records.CloudTrail(
            "ec2.amazonaws.com", "DescribeInstances", readOnly: true,
            extra: "\"errorCode\":\"Client.UnauthorizedOperation\",\"errorMessage\":\"You are not authorized to perform this operation.\"")));

    [Fact]
    public async Task Ten_failed_calls_spanning_exactly_five_minutes_are_not_a_burst()
    {
        Assert.Empty(await ResultsAsync(FailedCalls(10, spacingSeconds: 300.0 / 9)));
    }

    [Fact]
    public async Task Successful_calls_are_not_counted_as_failures()
    {
        var events = Enumerable.Range(0, 20).Select(i => Records.CloudTrailAt(i, Records.CloudTrail("ec2.amazonaws.com", "DescribeInstances", readOnly: true)));

        Assert.Empty(await ResultsAsync(events));
    }

    private static IEnumerable<LogEvent> RejectedPorts(int distinctPorts, string source = "198.51.100.66") =>
        Enumerable.Range(0, distinctPorts).Select(i => Records.FlowAt(i, source, "10.0.1.20", 1000 + i, 44, "REJECT"));

    /// <summary>
    /// Failed API calls by one principal (a burst from the tenth) and distinct rejected ports from one source (a scan from
    /// the hundred and first): one short is nothing, the threshold is one result for the group, counting every event.
    /// </summary>
    [Theory]
    [InlineData(RuleIds.FailedApiCallBurst, 10, "arn:aws:iam::111122223333:user/alice")]
    [InlineData(RuleIds.VpcPortScan, 101, "198.51.100.66")]
    public async Task A_burst_or_a_scan_is_one_result_for_its_group_at_its_threshold_and_nothing_one_short_of_it(string rule, int threshold, string group)
    {
        IEnumerable<LogEvent> Counted(int count) => rule == RuleIds.VpcPortScan ? RejectedPorts(count) : FailedCalls(count);

        Assert.Empty(await ResultsAsync(Counted(threshold - 1)));
        var result = await OnlyResultAsync(Counted(threshold), rule, group);
        Assert.Equal(((double)threshold, threshold), (result.Value, result.EventCount));
    }

    [Fact]
    public async Task Repeated_ports_and_accepted_flows_do_not_make_a_scan()
    {
        var events = RejectedPorts(100)
            .Concat(Enumerable.Range(0, 50).Select(i => Records.FlowAt(200 + i, "198.51.100.66", "10.0.1.20", 1000, 44, "REJECT")))
            .Concat(Enumerable.Range(0, 50).Select(i => Records.FlowAt(300 + i, "198.51.100.66", "10.0.1.20", 5000 + i, 44, "ACCEPT")));

        Assert.Empty(await ResultsAsync(events));
    }

    [Fact]
    public async Task Ports_rejected_ten_minutes_apart_are_not_one_scan()
    {
        var events = Enumerable.Range(0, 101).Select(i => Records.FlowAt(i * 6.0, "198.51.100.66", "10.0.1.20", 1000 + i, 44, "REJECT"));

        Assert.Empty(await ResultsAsync(events));
    }

    private const long OneGiB = 1L << 30;

    [Fact]
    public async Task More_than_a_GiB_from_a_10_address_to_a_public_address_is_reported()
    {
        var events = new[]
        {
            Records.FlowAt(0, "10.1.2.3", "203.0.113.50", 443, OneGiB / 2, "ACCEPT"),
            Records.FlowAt(60, "10.1.2.3", "198.51.100.9", 443, (OneGiB / 2) + 1, "ACCEPT"),
        };

        var result = await OnlyResultAsync(events, RuleIds.VpcUnusualOutboundBytes, "10.1.2.3");

        Assert.Equal(OneGiB + 1, result.Value);
    }

    [Fact]
    public async Task Exactly_a_GiB_to_public_addresses_is_not_reported()
    {
        var events = new[]
        {
            Records.FlowAt(0, "10.1.2.3", "203.0.113.50", 443, OneGiB / 2, "ACCEPT"),
            Records.FlowAt(60, "10.1.2.3", "203.0.113.50", 443, OneGiB / 2, "ACCEPT"),
        };

        Assert.Empty(await ResultsAsync(events));
    }

    [Theory]
    [InlineData("10.9.9.9")]
    [InlineData("172.20.0.5")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("169.254.169.254")]
    public async Task Volume_to_private_or_internal_addresses_is_not_reported(string destination)
    {
        var events = new[] { Records.FlowAt(0, "10.1.2.3", destination, 443, 3 * OneGiB, "ACCEPT") };

        Assert.Empty(await ResultsAsync(events));
    }

    [Fact]
    public async Task Volume_from_a_public_source_or_rejected_is_not_reported()
    {
        var events = new[]
        {
            Records.FlowAt(0, "203.0.113.50", "198.51.100.9", 443, 3 * OneGiB, "ACCEPT"),
            Records.FlowAt(1, "10.1.2.3", "198.51.100.9", 443, 3 * OneGiB, "REJECT"),
        };

        Assert.Empty(await ResultsAsync(events));
    }

    [Fact]
    public async Task Volume_spread_over_more_than_ten_minutes_is_not_reported()
    {
        var events = new[]
        {
            Records.FlowAt(0, "10.1.2.3", "203.0.113.50", 443, OneGiB, "ACCEPT"),
            Records.FlowAt(600, "10.1.2.3", "203.0.113.50", 443, OneGiB, "ACCEPT"),
        };

        Assert.Empty(await ResultsAsync(events));
    }
}
