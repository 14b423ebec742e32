using Npgsql;
using Platform.Detection.RetroHunts;

namespace Platform.Detection.Tests;

/// <summary>
/// Retro-hunts through the real service and broker: the test plays ingestion's part (it hears the request and
/// publishes the count, the numbered batches and the end as ingestion does).
/// </summary>
[Collection(DetectionCollection.Name)]
public sealed class Retro_hunts(DetectionHost detection)
{
    /// <summary>A past day: live correlation would take no event of it (it is far behind the clock).</summary>
    private static readonly DateTimeOffset Day = CloudTrail.Now().AddDays(-40);

    [Fact]
    public async Task A_hunt_shows_its_progress_and_raises_findings_of_its_own_for_exactly_the_matching_events()
    {
        var eventName = "HuntProbe" + Guid.NewGuid().ToString("N")[..8];
        var user = CloudTrail.UniqueArn("hunted");
        var ruleId = Guid.NewGuid().ToString();
        // 30 events, every third matching (the others are of another name), each by a principal of its own.
        var records = Enumerable.Range(0, 30)
            .Select(i => CloudTrail.Synthetic(i % 3 == 0 ? eventName : "Other" + eventName, $"{user}-{i}", "192.0.2.1", Day.AddMinutes(i)))
            .ToList();
        var expected = records.Where(r => (string)r["eventName"]! == eventName).Select(r => (string)r["eventID"]!).Order(StringComparer.Ordinal).ToList();

        var (huntId, request) = await StartAsync(ProbeRules.Custom(ruleId, eventName), Day, Day.AddDays(1));
        Assert.Equal(Day, request.From);
        Assert.Equal(Day.AddDays(1), request.To);
        Assert.True(request.BatchSize > 0);

        await detection.Bus.PublishAsync(new RetroHuntEventsCounted(huntId, records.Count));
        var counted = await WaitForHuntAsync(huntId, h => h.EventsTotal is not null);
        Assert.Equal((RetroHuntStatus.Running, 30L, 0L), (counted.Status, counted.EventsTotal!.Value, counted.EventsScanned));

        await detection.Bus.PublishAsync(Batch(huntId, 0, records[..10]));
        var first = await WaitForHuntAsync(huntId, h => h.EventsScanned > 0);
        Assert.Equal((RetroHuntStatus.Running, 10L, 4L), (first.Status, first.EventsScanned, first.Findings));

        await detection.Bus.PublishAsync(Batch(huntId, 1, records[10..20]));
        await detection.Bus.PublishAsync(Batch(huntId, 2, records[20..]));
        var scanned = await WaitForHuntAsync(huntId, h => h.EventsScanned == 30);
        Assert.Equal(RetroHuntStatus.Running, scanned.Status);

        await detection.Bus.PublishAsync(new RetroHuntStreamEnded(huntId, 3, 30, null));
        var done = await WaitForHuntAsync(huntId, h => h.Status != RetroHuntStatus.Running);
        Assert.Equal((RetroHuntStatus.Completed, 30L, 30L, 10L), (done.Status, done.EventsTotal!.Value, done.EventsScanned, done.Findings));
        Assert.NotNull(done.EndedAt);

        var findings = (await detection.FindingsAsync($"huntId={huntId}&limit=100")).Items;
        Assert.All(findings, f => Assert.Equal((FindingOrigin.RetroHunt, huntId, ruleId), (f.Origin!.Type, f.Origin.HuntId, f.RuleId)));
        Assert.Equal(expected, findings.SelectMany(f => f.Evidence).Select(e => e.EventId).Order(StringComparer.Ordinal));
        var announced = await Eventually.ObserveAsync(
            () => Task.FromResult(detection.Bus.Raised.Where(r => r.RuleId == ruleId).ToList()), r => r.Count >= expected.Count);
        Assert.Equal(expected.Count, announced.Count);
        Assert.All(announced, r => Assert.Equal(huntId, r.Origin?.HuntId));
    }

    [Fact]
    public async Task Ingestion_is_given_the_rule_and_a_batch_of_the_events_it_kept_counts_every_event_it_stands_for()
    {
        var eventName = "HuntKept" + Guid.NewGuid().ToString("N")[..8];
        var ruleId = Guid.NewGuid().ToString();
        var yaml = ProbeRules.Custom(ruleId, eventName);
        var records = Enumerable.Range(0, 3).Select(i => CloudTrail.Synthetic(eventName, CloudTrail.UniqueArn("kept"), "192.0.2.4", Day.AddMinutes(i))).ToList();
        var (huntId, request) = await StartAsync(yaml, Day, Day.AddDays(1));
        Assert.Equal(yaml, request.Rule);

        await detection.Bus.PublishAsync(new RetroHuntEventsCounted(huntId, 5000));
        // Two slices' batches, out of order: the events the rule may match among 3,000 and 2,000 scanned.
        await detection.Bus.PublishAsync(RetroHuntBatch.Of(huntId, 1L << 32, [.. records[2..].Select(NormalizedCloudTrail.From)], scanned: 2000));
        await detection.Bus.PublishAsync(RetroHuntBatch.Of(huntId, 0, [.. records[..2].Select(NormalizedCloudTrail.From)], scanned: 3000));
        var scanned = await WaitForHuntAsync(huntId, h => h.EventsScanned == 5000);
        Assert.Equal((RetroHuntStatus.Running, 3L), (scanned.Status, scanned.Findings));

        await detection.Bus.PublishAsync(new RetroHuntStreamEnded(huntId, 2, 5000, null));
        var done = await WaitForHuntAsync(huntId, h => h.Status != RetroHuntStatus.Running);
        Assert.Equal((RetroHuntStatus.Completed, 5000L, 5000L, 3L), (done.Status, done.EventsTotal!.Value, done.EventsScanned, done.Findings));
        Assert.Equal(3, (await detection.FindingsAsync($"huntId={huntId}&limit=100")).Items.Count);
    }

    [Fact]
    public async Task A_batch_delivered_again_or_streamed_again_counts_once_and_raises_no_second_finding()
    {
        var eventName = "HuntAgain" + Guid.NewGuid().ToString("N")[..8];
        var ruleId = Guid.NewGuid().ToString();
        var records = Enumerable.Range(0, 6).Select(i => CloudTrail.Synthetic(eventName, CloudTrail.UniqueArn("again"), "192.0.2.2", Day.AddSeconds(i))).ToList();
        var (huntId, _) = await StartAsync(ProbeRules.Custom(ruleId, eventName), Day, Day.AddHours(1));
        await detection.Bus.PublishAsync(new RetroHuntEventsCounted(huntId, records.Count));

        var batch = Batch(huntId, 0, records);
        var delivered = Guid.NewGuid();
        var streamedAgain = Guid.NewGuid();
        await detection.Bus.PublishAsync(batch, delivered);
        await detection.Bus.PublishAsync(batch, delivered);
        // A request redelivered to ingestion streams the same batch again, as a new message.
        await detection.Bus.PublishAsync(batch, streamedAgain);
        await Eventually.ObserveAsync(
            () => Task.FromResult(detection.Consumed.CountOf(delivered) + detection.Consumed.CountOf(streamedAgain)), n => n >= 3);

        var hunt = await HuntAsync(huntId);
        Assert.Equal((RetroHuntStatus.Running, 6L, 6L), (hunt.Status, hunt.EventsScanned, hunt.Findings));
        await detection.Bus.PublishAsync(new RetroHuntStreamEnded(huntId, 1, records.Count, null));
        var done = await WaitForHuntAsync(huntId, h => h.Status != RetroHuntStatus.Running);
        Assert.Equal((RetroHuntStatus.Completed, 6L, 6L), (done.Status, done.EventsScanned, done.Findings));
        var findings = (await detection.FindingsAsync($"huntId={huntId}&limit=100")).Items;
        Assert.Equal(6, findings.Count);
        Assert.All(findings, f => Assert.Equal(1, f.Occurrences));
        Assert.Equal(6, detection.Bus.Raised.Count(r => r.RuleId == ruleId));
    }

    [Fact]
    public async Task A_cancelled_hunt_tells_ingestion_to_stop_and_ignores_later_batches()
    {
        var eventName = "HuntCancel" + Guid.NewGuid().ToString("N")[..8];
        var records = Enumerable.Range(0, 4).Select(i => CloudTrail.Synthetic(eventName, CloudTrail.UniqueArn("cancel"), "192.0.2.3", Day.AddSeconds(i))).ToList();
        var (huntId, _) = await StartAsync(ProbeRules.Custom(Guid.NewGuid().ToString(), eventName), Day, Day.AddHours(1));
        await detection.Bus.PublishAsync(new RetroHuntEventsCounted(huntId, records.Count));
        await detection.Bus.PublishAsync(Batch(huntId, 0, records[..2]));
        await WaitForHuntAsync(huntId, h => h.EventsScanned == 2);

        var cancel = await detection.Client.DeleteAsync($"/v1/retro-hunts/{huntId}");
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal(RetroHuntStatus.Cancelled, (await cancel.Content.ReadFromJsonAsync<RetroHuntView>(PlatformJson.Options))!.Status);
        var told = await Eventually.ObserveAsync(() => Task.FromResult(detection.Bus.HuntsCancelled.Any(c => c.HuntId == huntId)), t => t);
        Assert.True(told, "ingestion was not told to stop streaming");

        // Ingestion says it stopped (a batch in flight may still come), then a late batch and end as a stream that missed it.
        await detection.Bus.PublishAsync(new RetroHuntStreamEnded(huntId, 1, 2, "cancelled"));
        var late = Guid.NewGuid();
        await detection.Bus.PublishAsync(Batch(huntId, 1, records[2..]), late);
        await detection.Bus.PublishAsync(new RetroHuntStreamEnded(huntId, 2, 4, null));
        await Eventually.ObserveAsync(() => Task.FromResult(detection.Consumed.CountOf(late)), n => n >= 1);
        var hunt = await HuntAsync(huntId);
        Assert.Equal((RetroHuntStatus.Cancelled, 2L, 2L), (hunt.Status, hunt.EventsScanned, hunt.Findings));
        Assert.Equal(2, (await detection.FindingsAsync($"huntId={huntId}")).Items.Count);

        var again = await detection.Client.DeleteAsync($"/v1/retro-hunts/{huntId}");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_correlation_counts_over_the_past_range_by_event_time_in_windows_of_the_hunts_own()
    {
        var eventName = "HuntBurst" + Guid.NewGuid().ToString("N")[..8];
        var correlationId = Guid.NewGuid().ToString();
        var burst = CloudTrail.UniqueIp();
        var spread = CloudTrail.UniqueIp();
        var user = CloudTrail.UniqueArn("burst");
        // Four from one address within two minutes fire; three from another ten minutes apart do not.
        var records = Enumerable.Range(0, 4).Select(i => CloudTrail.Synthetic(eventName, user, burst, Day.AddSeconds(30 * i)))
            .Concat(Enumerable.Range(0, 3).Select(i => CloudTrail.Synthetic(eventName, user, spread, Day.AddMinutes(10 * i))))
            .ToList();
        var (huntId, _) = await StartAsync(ProbeRules.LoginBurst(eventName, Guid.NewGuid().ToString(), correlationId), Day, Day.AddHours(1));
        await detection.Bus.PublishAsync(new RetroHuntEventsCounted(huntId, records.Count));
        await detection.Bus.PublishAsync(Batch(huntId, 0, records));
        await detection.Bus.PublishAsync(new RetroHuntStreamEnded(huntId, 1, records.Count, null));

        var done = await WaitForHuntAsync(huntId, h => h.Status != RetroHuntStatus.Running);
        Assert.Equal((RetroHuntStatus.Completed, 1L), (done.Status, done.Findings));
        var finding = Assert.Single((await detection.FindingsAsync($"huntId={huntId}")).Items);
        Assert.Equal(correlationId, finding.RuleId);
        Assert.Equal(huntId, finding.Origin!.HuntId);
        Assert.Equal(
            records.Take(4).Select(r => (string)r["eventID"]!).Order(StringComparer.Ordinal),
            finding.Evidence.Select(e => e.EventId).Order(StringComparer.Ordinal));

        // The hunt's windows never were live ones, and are gone once it ended.
        await using var database = NpgsqlDataSource.Create(detection.ConnectionString);
        await using var live = database.CreateCommand("SELECT count(*) FROM correlation_observations WHERE correlation_key LIKE '%' || $1");
        live.Parameters.AddWithValue(correlationId);
        Assert.Equal(0L, (long)(await live.ExecuteScalarAsync())!);
        await using var hunts = database.CreateCommand("SELECT count(*) FROM retro_hunt_observations WHERE correlation_key LIKE $1 || '%'");
        hunts.Parameters.AddWithValue(huntId.ToString("N"));
        Assert.Equal(0L, (long)(await hunts.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_correlation_split_across_two_batches_fires_once_with_the_events_of_both_as_evidence()
    {
        var eventName = "HuntSplit" + Guid.NewGuid().ToString("N")[..8];
        var correlationId = Guid.NewGuid().ToString();
        var user = CloudTrail.UniqueArn("split");
        var address = CloudTrail.UniqueIp();
        // Four from one address within two minutes: the first two in one slice's batch, the last two in a later slice's.
        var records = Enumerable.Range(0, 4).Select(i => CloudTrail.Synthetic(eventName, user, address, Day.AddSeconds(30 * i))).ToList();
        var (huntId, _) = await StartAsync(ProbeRules.LoginBurst(eventName, Guid.NewGuid().ToString(), correlationId), Day, Day.AddHours(1));
        await detection.Bus.PublishAsync(new RetroHuntEventsCounted(huntId, records.Count));

        // The later slice's batch first (slices are scanned at once, their batches arrive in any order): two events,
        // below the threshold of three. Then the earlier slice's, whose events complete the burst.
        await detection.Bus.PublishAsync(Batch(huntId, 1L << 32, records[2..]));
        var half = await WaitForHuntAsync(huntId, h => h.EventsScanned == 2);
        Assert.Equal(0L, half.Findings);
        await detection.Bus.PublishAsync(Batch(huntId, 0, records[..2]));
        await detection.Bus.PublishAsync(new RetroHuntStreamEnded(huntId, 2, records.Count, null));

        var done = await WaitForHuntAsync(huntId, h => h.Status != RetroHuntStatus.Running);
        Assert.Equal((RetroHuntStatus.Completed, 4L, 1L), (done.Status, done.EventsScanned, done.Findings));
        var finding = Assert.Single((await detection.FindingsAsync($"huntId={huntId}")).Items);
        Assert.Equal((correlationId, 1L), (finding.RuleId, finding.Occurrences));
        // Every event of the window, those of the batch that fired it and those of the batch before, with their names and times.
        Assert.Equal(
            records.Select((r, i) => new FindingEvidence((string)r["eventID"]!, Day.AddSeconds(30 * i), eventName)),
            finding.Evidence.OrderBy(e => e.EventTime));
        // Published by the outbox relay after the commit: waited for, then once.
        Assert.Equal(1, await Eventually.ObserveAsync(() => Task.FromResult(detection.Bus.Raised.Count(r => r.RuleId == correlationId)), n => n > 0));

        // The evidence kept for the hunt's windows goes with them.
        await using var database = NpgsqlDataSource.Create(detection.ConnectionString);
        await using var evidence = database.CreateCommand("SELECT count(*) FROM retro_hunt_evidence WHERE hunt_id = $1");
        evidence.Parameters.AddWithValue(huntId);
        Assert.Equal(0L, (long)(await evidence.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_hunt_whose_batch_fails_for_good_ends_failed_with_the_reason()
    {
        var eventName = "HuntProbe" + Guid.NewGuid().ToString("N")[..8];
        var (huntId, _) = await StartAsync(ProbeRules.Custom(Guid.NewGuid().ToString(), eventName), Day, Day.AddDays(1));
        await detection.Bus.PublishAsync(new RetroHuntEventsCounted(huntId, 4));

        // Bytes that are no packed batch: evaluating it fails however often it is tried, and it goes to the error queue.
        await detection.Bus.PublishAsync(new RetroHuntBatch(huntId, 0, 4, [1, 2, 3, 4]));

        var failed = await WaitForHuntAsync(huntId, h => h.Status != RetroHuntStatus.Running);
        Assert.Equal(RetroHuntStatus.Failed, failed.Status);
        Assert.StartsWith("batch 0 could not be evaluated: ", failed.Failure);
        Assert.NotNull(failed.EndedAt);
    }

    [Fact]
    public async Task A_hunt_by_rule_id_runs_a_loaded_rule_and_an_unknown_id_is_refused()
    {
        var shipped = await detection.Client.PostAsJsonAsync("/v1/retro-hunts", new { ruleId = Raising_findings.BackdoorKeysRuleId, from = Day, to = Day.AddDays(1) });
        Assert.Equal(HttpStatusCode.Accepted, shipped.StatusCode);
        var hunt = (await shipped.Content.ReadFromJsonAsync<RetroHuntView>(PlatformJson.Options))!;
        Assert.Equal((Raising_findings.BackdoorKeysRuleId, "AWS IAM Backdoor Users Keys"), (hunt.RuleId, hunt.Title));
        Assert.Equal(shipped.Headers.Location!.ToString(), $"/v1/retro-hunts/{hunt.Id}");

        await AssertRefusedAsync(new { ruleId = "no-such-rule", from = Day, to = Day.AddDays(1) }, "ruleId");
    }

    [Fact]
    public async Task Bad_input_answers_400_naming_the_field()
    {
        var rule = ProbeRules.Custom(Guid.NewGuid().ToString(), "HuntBad");
        await AssertRefusedAsync(new { rule = "title: x\ndetection:\n  condition: nothing_defined\n", from = Day, to = Day.AddDays(1) }, "rule");
        await AssertRefusedAsync(new { rule = "just: [unclosed", from = Day, to = Day.AddDays(1) }, "rule");
        await AssertRefusedAsync(new { rule, ruleId = "x", from = Day, to = Day.AddDays(1) }, "rule");
        await AssertRefusedAsync(new { from = Day, to = Day.AddDays(1) }, "rule");
        await AssertRefusedAsync(new { rule, from = Day, to = Day }, "from");
        await AssertRefusedAsync(new { rule, from = Day.AddDays(1), to = Day }, "from");
        await AssertRefusedAsync(new { rule, to = Day }, "from");
        await AssertRefusedAsync(new { rule, from = Day.AddDays(-400), to = Day }, "to");
        await AssertRefusedAsync(new { rule, from = "yesterday", to = Day }, "from");
    }

    [Fact]
    public async Task Hunts_are_for_analysts_and_admins()
    {
        using var analyst = detection.Host.CreateClient(DetectionHost.AnalystKey);
        using var ingest = detection.Host.CreateClient(DetectionHost.IngestKey);
        var body = new { rule = ProbeRules.Custom(Guid.NewGuid().ToString(), "HuntRoles"), from = Day, to = Day.AddHours(1) };
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.PostAsJsonAsync("/v1/retro-hunts", body)).StatusCode);
        var started = await analyst.PostAsJsonAsync("/v1/retro-hunts", body);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<RetroHuntView>(PlatformJson.Options))!.Id;
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.GetAsync($"/v1/retro-hunts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync($"/v1/retro-hunts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync($"/v1/retro-hunts/{Guid.NewGuid()}")).StatusCode);
    }

    private async Task AssertRefusedAsync(object body, string field)
    {
        var response = await detection.Client.PostAsJsonAsync("/v1/retro-hunts", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"expected an error for {field}: {text}");
    }

    private async Task<(Guid Id, RetroHuntRequested Request)> StartAsync(string yaml, DateTimeOffset from, DateTimeOffset to)
    {
        var response = await detection.Client.PostAsJsonAsync("/v1/retro-hunts", new { rule = yaml, from, to });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var hunt = (await response.Content.ReadFromJsonAsync<RetroHuntView>(PlatformJson.Options))!;
        Assert.Equal(RetroHuntStatus.Running, hunt.Status);
        var request = await Eventually.ObserveAsync(
            () => Task.FromResult(detection.Bus.HuntsRequested.FirstOrDefault(r => r.HuntId == hunt.Id)), r => r is not null);
        return (hunt.Id, request!);
    }

    private static RetroHuntBatch Batch(Guid huntId, long sequence, IEnumerable<JsonObject> records) =>
        RetroHuntBatch.Of(huntId, sequence, [.. records.Select(NormalizedCloudTrail.From)]);

    private async Task<RetroHuntView> HuntAsync(Guid id) =>
        (await detection.Client.GetFromJsonAsync<RetroHuntView>($"/v1/retro-hunts/{id}", PlatformJson.Options))!;

    private Task<RetroHuntView> WaitForHuntAsync(Guid id, Func<RetroHuntView, bool> done) => Eventually.ObserveAsync(() => HuntAsync(id), done);
}
