namespace Platform.EndToEnd.Tests;

/// <summary>
/// A new rule run over events ingested earlier: detection asks ingestion for the range over the real broker, ingestion
/// streams its stored events back, and the hunt finds exactly the events the test picks out itself.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class Retro_hunting_stored_events(PlatformServices platform)
{
    [Fact]
    public async Task A_new_rule_run_over_a_past_day_finds_exactly_the_stored_events_it_matches()
    {
        // A past day of its own: no other test stores events with these times.
        var day = new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(Random.Shared.Next(0, 3000));
        var marker = TestNames.Unique("hunt");
        string[] names = ["GetObject", "ListBuckets", "DeleteBucketPolicy", "PutBucketPolicy", "DescribeInstances"];
        var records = Enumerable.Range(0, 300).Select(i => new Dictionary<string, object>
        {
            ["eventVersion"] = "1.08",
            ["userIdentity"] = new { type = "IAMUser", arn = $"arn:aws:iam::123456789012:user/{marker}-{i % 40}", accountId = "123456789012" },
            ["eventTime"] = day.AddSeconds(i * 250).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["eventSource"] = "s3.amazonaws.com",
            ["eventName"] = names[i * 7 % names.Length],
            ["awsRegion"] = "eu-west-1",
            ["sourceIPAddress"] = $"198.51.100.{i % 200}",
            ["requestParameters"] = new { bucketName = $"{marker}-bucket-{i}" },
            ["eventID"] = Guid.NewGuid().ToString(),
            ["recipientAccountId"] = "123456789012",
        }).ToList();
        // What the rule below should find, computed here: DeleteBucketPolicy by the marker's users 0 to 9.
        var expected = Enumerable.Range(0, records.Count)
            .Where(i => (string)records[i]["eventName"] == "DeleteBucketPolicy" && i % 40 < 10)
            .Select(i => (string)records[i]["eventID"])
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(expected);

        await IngestAsync(records);

        var ruleId = Guid.NewGuid().ToString();
        var users = string.Join("\n", Enumerable.Range(0, 10).Select(u => $"          - arn:aws:iam::123456789012:user/{marker}-{u}"));
        var yaml = $"""
            title: Bucket policy deleted by the hunted users
            id: {ruleId}
            logsource:
              product: aws
              service: cloudtrail
            detection:
              selection:
                eventName: DeleteBucketPolicy
                userIdentity.arn:
            {users}
              condition: selection
            level: medium
            """;
        var (huntId, items) = await HuntAsync(yaml, day, records.Count);
        Assert.Equal(expected.Count, items.Count);
        Assert.All(items, f =>
        {
            Assert.Equal("retro-hunt", f.GetProperty("origin").GetProperty("type").GetString());
            Assert.Equal(huntId, f.GetProperty("origin").GetProperty("huntId").GetString());
            Assert.Equal(ruleId, f.GetProperty("ruleId").GetString());
        });
        var found = items
            .SelectMany(f => f.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("eventId").GetString()!))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(expected, found);
    }

    [Fact]
    public async Task A_correlation_run_over_a_past_day_fires_for_a_burst_that_straddles_the_slices_ingestion_scans_apart()
    {
        var day = new DateTimeOffset(2005, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(Random.Shared.Next(0, 3000));
        var probe = "BurstProbe" + Guid.NewGuid().ToString("N")[..8];
        // Ingestion scans the day in 64 slices of 22.5 minutes: the burst's four events (one address, within two minutes)
        // lie either side of the first boundary; four from another address ten minutes apart do not fire; 200 others
        // are no probe.
        var burst = new[] { 1290, 1320, 1360, 1390 }.Select(s => Record(day.AddSeconds(s), probe, "198.51.100.7")).ToList();
        var spread = Enumerable.Range(0, 4).Select(i => Record(day.AddMinutes(40 + 10 * i), probe, "198.51.100.8")).ToList();
        var others = Enumerable.Range(0, 200).Select(i => Record(day.AddSeconds(i * 37), "ListBuckets", "198.51.100.7")).ToList();
        var records = burst.Concat(spread).Concat(others).ToList();
        await IngestAsync(records);

        var correlationId = Guid.NewGuid().ToString();
        var yaml = $"""
            title: Probe {probe}
            name: probe_{probe}
            logsource:
              product: aws
              service: cloudtrail
            detection:
              selection:
                eventName: {probe}
              condition: selection
            level: low
            ---
            title: Burst of probes {probe}
            id: {correlationId}
            correlation:
              type: event_count
              rules:
                - probe_{probe}
              group-by:
                - sourceIPAddress
              timespan: 3m
              condition:
                gte: 4
            level: critical
            """;
        var (huntId, items) = await HuntAsync(yaml, day, records.Count);
        // One finding, the burst's. Its evidence is the burst's events of the batch that fired (detection takes a
        // correlation's evidence from the batch it evaluates), so both slices' are not always in it.
        var correlated = Assert.Single(items);
        Assert.Equal(correlationId, correlated.GetProperty("ruleId").GetString());
        var evidence = correlated.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("eventId").GetString()!).ToList();
        Assert.NotEmpty(evidence);
        Assert.Subset(burst.Select(r => (string)r["eventID"]).ToHashSet(), evidence.ToHashSet());
    }

    private async Task IngestAsync(List<Dictionary<string, object>> records)
    {
        using var ingestion = platform.Service("ingestion").Host.CreateClient(ServiceHost<ProvisioningDbContext>.AdminKey);
        var file = JsonSerializer.Serialize(new Dictionary<string, object> { ["Records"] = records });
        var ingest = await ingestion.PostAsync("/v1/ingest/cloudtrail", new StringContent(file, Encoding.UTF8, "application/json"));
        Assert.True(ingest.StatusCode == HttpStatusCode.Accepted, await ingest.Content.ReadAsStringAsync());
    }

    /// <summary>Runs the YAML over the day; once it completed, having scanned the <paramref name="stored"/> events, its id and findings.</summary>
    private async Task<(string HuntId, List<JsonElement> Findings)> HuntAsync(string yaml, DateTimeOffset day, int stored)
    {
        using var detection = platform.Service("detection").Host.CreateClient(ServiceHost<ProvisioningDbContext>.AdminKey);
        var started = await detection.PostAsJsonAsync("/v1/retro-hunts", new { rule = yaml, from = day, to = day.AddDays(1) });
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        var huntId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var hunt = await Eventually.ObserveAsync(
            () => detection.GetFromJsonAsync<JsonElement>($"/v1/retro-hunts/{huntId}"),
            h => h.GetProperty("status").GetString() != "running", TimeSpan.FromSeconds(60));
        Assert.Equal("completed", hunt.GetProperty("status").GetString());
        Assert.Equal(stored, hunt.GetProperty("eventsTotal").GetInt64());
        Assert.Equal(stored, hunt.GetProperty("eventsScanned").GetInt64());
        var findings = await detection.GetFromJsonAsync<JsonElement>($"/v1/findings?huntId={huntId}&limit=500");
        var items = findings.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(hunt.GetProperty("findings").GetInt64(), items.Count);
        return (huntId, items);
    }

    private static Dictionary<string, object> Record(DateTimeOffset time, string eventName, string sourceIp) => new()
    {
        ["eventVersion"] = "1.08",
        ["userIdentity"] = new { type = "IAMUser", arn = "arn:aws:iam::123456789012:user/prober", accountId = "123456789012" },
        ["eventTime"] = time.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        ["eventSource"] = "signin.amazonaws.com",
        ["eventName"] = eventName,
        ["awsRegion"] = "eu-west-1",
        ["sourceIPAddress"] = sourceIp,
        ["eventID"] = Guid.NewGuid().ToString(),
        ["recipientAccountId"] = "123456789012",
    };
}
