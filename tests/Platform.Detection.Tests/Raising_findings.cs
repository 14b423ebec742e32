namespace Platform.Detection.Tests;

/// <summary>LogEventsIngested published on the real broker becomes findings, announced once on the bus.</summary>
[Collection(DetectionCollection.Name)]
public sealed class Raising_findings(DetectionHost detection)
{
    public const string BackdoorKeysRuleId = "0a5177f4-6ca9-44c2-aacf-d3f3d8b6e4d2";
    private const string AdminUserSample = "aws.persistence.iam-create-admin-user.json";

    /// <summary>The findings of one test's principal for the SigmaHQ rule (built-in rules may match the same events).</summary>
    public static string Query(string principal) => $"principal={Uri.EscapeDataString(principal)}&ruleId={BackdoorKeysRuleId}";

    [Fact]
    public async Task A_Stratus_detonation_raises_a_finding_with_the_rule_principal_and_evidence()
    {
        var principal = CloudTrail.UniqueArn("stratus");
        var record = CloudTrail.Variant(CloudTrail.Records(AdminUserSample, "CreateAccessKey")[0], principal);

        await detection.Bus.PublishAsync(CloudTrail.Batch([record]));

        var findings = await detection.WaitForFindingsAsync(Query(principal), f => f.Count > 0);
        var finding = Assert.Single(findings);
        Assert.Equal(BackdoorKeysRuleId, finding.RuleId);
        Assert.Equal("AWS IAM Backdoor Users Keys", finding.Title);
        Assert.Equal(FindingSeverity.Medium, finding.Severity);
        Assert.Equal(FindingStatus.Open, finding.Status);
        Assert.Equal(1, finding.Occurrences);
        Assert.Equal(principal, finding.Principal);
        Assert.Contains("T1098", finding.Techniques);
        Assert.Contains("persistence", finding.Tactics);
        Assert.Equal([(string)record["eventID"]!], finding.Evidence.Select(e => e.EventId));
        Assert.Equal("CreateAccessKey", finding.Evidence[0].EventName);

        var raised = await Eventually.ObserveAsync(
            () => Task.FromResult(detection.Bus.Raised.Where(r => r.Principal == principal && r.RuleId == BackdoorKeysRuleId).ToList()), r => r.Count > 0);
        var announced = Assert.Single(raised);
        Assert.Equal(finding.Id, announced.FindingId);
        Assert.Equal(BackdoorKeysRuleId, announced.RuleId);
        Assert.Equal(finding.Version, announced.Version);
    }

    [Fact]
    public async Task The_same_message_delivered_twice_counts_once()
    {
        var principal = CloudTrail.UniqueArn("redelivered");
        var batch = CloudTrail.Batch([CloudTrail.Variant(CloudTrail.Records(AdminUserSample, "CreateAccessKey")[0], principal)]);
        var messageId = Guid.NewGuid();

        await detection.Bus.PublishAsync(batch, messageId);
        await detection.Bus.PublishAsync(batch, messageId);

        await Eventually.ObserveAsync(() => Task.FromResult(detection.Consumed.CountOf(messageId)), n => n >= 2);
        var raised = await Eventually.ObserveAsync(
            () => Task.FromResult(detection.Bus.Raised.Count(r => r.Principal == principal && r.RuleId == BackdoorKeysRuleId)), n => n > 0);
        var finding = Assert.Single((await detection.FindingsAsync(Query(principal))).Items);
        Assert.Equal(2, detection.Consumed.CountOf(messageId));
        Assert.Equal(1, finding.Occurrences);
        Assert.Equal(1, raised);
        Assert.DoesNotContain(detection.Bus.Updated, u => u.FindingId == finding.Id);
    }

    [Fact]
    public async Task A_storm_of_a_thousand_matching_events_is_one_finding_with_a_count()
    {
        const string flowLogsDeletedRuleId = "e386b9b5-af12-450e-afff-761730fb8a98";
        var principal = CloudTrail.UniqueArn("storm");
        var template = CloudTrail.Records("aws.defense-evasion.vpc-remove-flow-logs.json", "DeleteFlowLogs")[0];
        var start = CloudTrail.Now().AddMinutes(-30);

        for (var batch = 0; batch < 2; batch++)
        {
            await detection.Bus.PublishAsync(CloudTrail.Batch(
                Enumerable.Range(0, 500).Select(i => CloudTrail.Variant(template, principal, start.AddSeconds(batch * 500 + i)))));
        }

        var query = $"principal={Uri.EscapeDataString(principal)}&ruleId={flowLogsDeletedRuleId}";
        var findings = await detection.WaitForFindingsAsync(query, f => f.Count > 0 && f[0].Occurrences == 1000);
        var finding = Assert.Single(findings);
        Assert.Equal(1000, finding.Occurrences);
        Assert.Equal(FindingSeverity.High, finding.Severity);
        Assert.Equal(start, finding.FirstSeenAt);
        Assert.Equal(start.AddSeconds(999), finding.LastSeenAt);
        Assert.Equal(20, finding.Evidence.Count);
        var history = await detection.Client.GetStringAsync($"/v1/findings/{finding.Id}/history");
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(history, "occurrencesRecorded"));
        Assert.Single(detection.Bus.Raised, r => r.Principal == principal && r.RuleId == flowLogsDeletedRuleId);
    }

    [Fact]
    public async Task Unrelated_noise_raises_nothing()
    {
        var principal = CloudTrail.UniqueArn("noise");
        var noise = CloudTrail.Synthetic("DescribeNothing", principal, CloudTrail.UniqueIp(), DateTimeOffset.UtcNow);
        var marker = CloudTrail.Variant(CloudTrail.Records(AdminUserSample, "CreateAccessKey")[0], principal);

        await detection.Bus.PublishAsync(CloudTrail.Batch([noise, marker]));

        await detection.WaitForFindingsAsync(Query(principal), f => f.Count > 0);
        var all = await detection.FindingsAsync($"principal={Uri.EscapeDataString(principal)}");
        Assert.NotEmpty(all.Items);
        Assert.DoesNotContain(all.Items.SelectMany(f => f.Evidence), e => e.EventId == (string)noise["eventID"]!);
    }

    [Fact]
    public async Task Findings_are_listed_newest_first_and_paged_with_a_cursor()
    {
        var principal = CloudTrail.UniqueArn("paging");
        var now = DateTimeOffset.UtcNow;
        var records = CloudTrail.Records(AdminUserSample, "CreateAccessKey")[0];
        // Three findings: one principal, three different users acted on (the resource is part of the fingerprint).
        var batch = Enumerable.Range(0, 3).Select(i =>
        {
            var record = CloudTrail.Variant(records, principal, now.AddMinutes(-10 + i));
            record["requestParameters"] = new System.Text.Json.Nodes.JsonObject { ["userName"] = $"victim-{i}" };
            return record;
        });
        await detection.Bus.PublishAsync(CloudTrail.Batch(batch));
        var query = Query(principal);
        await detection.WaitForFindingsAsync(query, f => f.Count == 3);

        var first = await detection.FindingsAsync(query + "&limit=2");
        var second = await detection.FindingsAsync(query + "&limit=2&cursor=" + Uri.EscapeDataString(first.NextCursor!));

        Assert.Equal(2, first.Items.Count);
        Assert.Single(second.Items);
        Assert.Null(second.NextCursor);
        Assert.Equal(["victim-2", "victim-1", "victim-0"], first.Items.Concat(second.Items).Select(f => f.Resources.Single()));
    }

    [Fact]
    public async Task A_bad_filter_is_a_problem_naming_the_field()
    {
        var response = await detection.Client.GetAsync("/v1/findings?minSeverity=severe&limit=5");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>(PlatformJson.Options);
        Assert.Contains("minSeverity", problem!.Errors.Keys);
    }
}
