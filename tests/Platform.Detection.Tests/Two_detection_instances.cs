namespace Platform.Detection.Tests;

/// <summary>
/// Two detection instances on one database and one bus prefix share the batches as competing consumers and
/// produce the findings one instance would: one per fingerprint, every occurrence counted once, each raised once.
/// </summary>
public sealed class Two_detection_instances : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();
    private readonly string _prefix = RabbitMqServer.NewEntityPrefix();
    private readonly ConsumedMessages _consumedByFirst = new();
    private readonly ConsumedMessages _consumedBySecond = new();
    private ServiceHost<DetectionDbContext> _first = null!;
    private ServiceHost<DetectionDbContext> _second = null!;
    private TestBus _bus = null!;

    public async Task InitializeAsync()
    {
        var database = _postgres.NewDatabaseConnectionString("detection2");
        _bus = await TestBus.StartAsync(_prefix);
        _first = DetectionHost.Start(database, _prefix, _consumedByFirst);
        await _first.WaitUntilReadyAsync();
        _second = DetectionHost.Start(database, _prefix, _consumedBySecond);
        await _second.WaitUntilReadyAsync();
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _bus.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Produce_the_same_findings_as_one_with_no_duplicates()
    {
        var correlationId = Guid.NewGuid().ToString();
        var eventName = "Login" + Guid.NewGuid().ToString("N")[..8];
        var rules = ProbeRules.LoginBurst(eventName, Guid.NewGuid().ToString(), correlationId);
        await _bus.PublishAsync(new DetectionRuleProvisioned("burst", new DetectionRuleSpec(rules), 1));
        foreach (var host in new[] { _first, _second })
        {
            using var client = host.CreateAdminClient();
            await Eventually.ObserveAsync(
                async () => (await client.GetFromJsonAsync<RuleList>("/v1/rules", PlatformJson.Options))!.Items.Any(r => r.Id == correlationId),
                listed => listed);
        }

        var principals = Enumerable.Range(0, 5).Select(i => CloudTrail.UniqueArn($"shared-{i}")).ToList();
        var template = CloudTrail.Records("aws.persistence.iam-create-admin-user.json", "CreateAccessKey")[0];
        var start = CloudTrail.Now().AddMinutes(-10);
        var ip = CloudTrail.UniqueIp();
        var messageIds = new List<Guid>();
        for (var batch = 0; batch < 40; batch++)
        {
            var records = principals.SelectMany(p => new[]
            {
                CloudTrail.Variant(template, p, start.AddSeconds(batch * 2)),
                CloudTrail.Variant(template, p, start.AddSeconds(batch * 2 + 1)),
            }).ToList();
            if (batch % 5 == 0)
            {
                records.Add(CloudTrail.Synthetic(eventName, CloudTrail.UniqueArn(), ip, start.AddSeconds(batch)));
            }

            var messageId = Guid.NewGuid();
            messageIds.Add(messageId);
            await _bus.PublishAsync(CloudTrail.Batch(records), messageId);
        }

        using var reader = _first.CreateAdminClient();
        await Eventually.ObserveAsync(
            () => Task.FromResult(messageIds.Count(id => _consumedByFirst.CountOf(id) + _consumedBySecond.CountOf(id) > 0)),
            handled => handled == messageIds.Count);
        var findings = new List<FindingView>();
        foreach (var principal in principals)
        {
            findings.AddRange((await reader.GetFromJsonAsync<FindingPage>("/v1/findings?" + Raising_findings.Query(principal), PlatformJson.Options))!.Items);
        }

        var correlated = (await reader.GetFromJsonAsync<FindingPage>($"/v1/findings?ruleId={correlationId}", PlatformJson.Options))!.Items;
        Assert.Equal(5, findings.Count);
        Assert.All(findings, f => Assert.Equal(80, f.Occurrences));
        var correlation = Assert.Single(correlated);
        Assert.Equal(1, correlation.Occurrences);
        Assert.True(messageIds.Any(id => _consumedByFirst.CountOf(id) > 0), "the first instance handled no batch");
        Assert.True(messageIds.Any(id => _consumedBySecond.CountOf(id) > 0), "the second instance handled no batch");

        var expected = findings.Select(f => f.Id).Append(correlation.Id).ToHashSet();
        var raised = await Eventually.ObserveAsync(
            () => Task.FromResult(_bus.Raised.Where(r => expected.Contains(r.FindingId)).ToList()),
            r => r.Count >= expected.Count);
        Assert.Equal(expected.Count, raised.Count);
        Assert.Equal(expected, raised.Select(r => r.FindingId).ToHashSet());
    }
}
