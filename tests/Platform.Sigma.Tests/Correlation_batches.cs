namespace Platform.Sigma.Tests;

/// <summary>An in-memory store that counts the calls made to it: each call is one round trip for a remote store.</summary>
internal sealed class CountingWindowStore : ICorrelationWindowStore
{
    private readonly InMemoryCorrelationWindowStore _inner = new();

    public int Records { get; private set; }

    public int Reads { get; private set; }

    public ValueTask<IReadOnlyList<bool>> RecordAsync(IReadOnlyList<CorrelationObservation> observations, CancellationToken cancellationToken = default)
    {
        Records++;
        return _inner.RecordAsync(observations, cancellationToken);
    }

    /// <summary>Rows the reads returned: what a remote store would send over the wire.</summary>
    public long RowsRead { get; private set; }

    public async ValueTask<CorrelationWindowChanges> ReadAsync(IReadOnlyList<CorrelationWindowRead> reads, CancellationToken cancellationToken = default)
    {
        Reads++;
        var changes = await _inner.ReadAsync(reads, cancellationToken);
        RowsRead += changes.Observations.Count;
        return changes;
    }

    public ValueTask<int> RemoveOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
        _inner.RemoveOlderThanAsync(cutoff, cancellationToken);
}

public class Correlation_batches
{
    private const string Rules = $"""
        title: Brute force
        name: brute_force
        correlation:
            type: event_count
            rules:
                - failed_login
            group-by:
                - sourceIP
            timespan: 1h
            condition:
                gte: 100
            generate: true
        ---
        title: Many users from one address
        correlation:
            type: value_count
            rules:
                - failed_login
            group-by:
                - sourceIP
            timespan: 10m
            condition:
                field: user
                gte: 3
        ---
        title: Brute force then success
        correlation:
            type: temporal_ordered
            rules:
                - brute_force
                - successful_login
            group-by:
                - sourceIP
            timespan: 1h
        ---
        {CorrelationHarness.FailedLogin}
        ---
        {CorrelationHarness.SuccessfulLogin}
        """;

    private static readonly SigmaRuleSet RuleSet = SigmaRuleSet.Create(SigmaRuleParser.ParseOrThrow(Rules));

    private static List<SigmaMatch> Matches(IEnumerable<(string Json, TimeSpan At, string Id)> events) =>
    [
        .. events.SelectMany(e =>
        {
            var document = JsonDocument.Parse(e.Json).RootElement;
            return RuleSet.Evaluate(new SigmaEvent(document, SigmaLogSources.Application))
                .Select(rule => new SigmaMatch(rule, document, CorrelationHarness.T0 + e.At, e.Id));
        }),
    ];

    private static List<SigmaMatch> Storm(int events, string ip) =>
        Matches(Enumerable.Range(0, events).Select(i => (CorrelationHarness.Failed(ip), TimeSpan.FromSeconds(i), $"storm-{i}")));

    /// <summary>What a test compares: everything about a result but object identity, in a stable order per match.</summary>
    private static List<string> Describe(IReadOnlyList<SigmaCorrelationResult> results) =>
    [
        .. results
            .Select(r => $"{r.Rule.Key} {r.GroupKey} {r.WindowStart:O}..{r.WindowEnd:O} value={r.Value} count={r.EventCount} "
                + $"by={r.TriggeringEventId} ids={string.Join(',', r.EventIds)} reported={r.IsReported}")
            .Order(StringComparer.Ordinal),
    ];

    [Fact]
    public async Task A_storm_of_a_thousand_events_costs_one_write_and_one_read_of_the_store()
    {
        var store = new CountingWindowStore();
        var evaluator = new CorrelationEvaluator(RuleSet, store);

        var results = await evaluator.ObserveBatchAsync(Storm(1000, "10.9.9.9"));

        // The chained temporal_ordered correlation counts brute-force results: one more write and read for that level.
        Assert.Equal(2, store.Records);
        Assert.Equal(2, store.Reads);
        Assert.Equal(1000, results.Count);
        Assert.DoesNotContain(results.Take(99), r => r.Any(result => result.Rule.Key == "brute_force"));
        var hundredth = Assert.Single(results[99], r => r.Rule.Key == "brute_force");
        Assert.Equal(100, hundredth.EventCount);
        Assert.Equal("storm-99", hundredth.TriggeringEventId);
        Assert.Equal(901, results.Sum(r => r.Count(result => result.Rule.Key == "brute_force")));
    }

    [Fact]
    public async Task A_window_kept_from_batch_to_batch_is_read_from_the_store_once_not_once_per_batch()
    {
        // Forty batches of a hundred into one group's hour-long window: reading the window whole for each batch would
        // bring 82,000 rows back from the store (100 + 200 + ... + 4,000); keeping it, each row comes back once.
        var store = new CountingWindowStore();
        var evaluator = new CorrelationEvaluator(RuleSet, store);
        var storm = Storm(4000, "10.8.8.8");
        var fired = 0;
        foreach (var batch in storm.Chunk(100))
        {
            fired += (await evaluator.ObserveBatchAsync(batch)).Sum(r => r.Count(result => result.Rule.Key == "brute_force"));
        }

        Assert.Equal(3901, fired);
        Assert.True(store.RowsRead <= 2 * 4000 + 2 * 3901, $"{store.RowsRead} rows read");
    }

    [Fact]
    public async Task Windows_dropped_for_the_row_limit_are_read_again_whole_and_judge_as_if_kept()
    {
        // Two storms taking turns, 40 events a batch, with room for 50 kept rows: each batch drops the other group's
        // window, which the next batch of that group must read again whole. The results are those of an evaluator that
        // keeps everything.
        var batches = Storm(200, "10.5.5.1").Chunk(40).Zip(Storm(200, "10.5.5.2").Chunk(40)).SelectMany(p => new[] { p.First, p.Second }).ToList();
        var (limitedStore, unlimitedStore) = (new CountingWindowStore(), new CountingWindowStore());
        var limited = new CorrelationEvaluator(RuleSet, limitedStore, maxKeptRows: 50);
        var unlimited = new CorrelationEvaluator(RuleSet, unlimitedStore);
        var (expected, actual) = (new List<List<string>>(), new List<List<string>>());
        foreach (var batch in batches)
        {
            expected.AddRange((await unlimited.ObserveBatchAsync(batch)).Select(Describe));
            actual.AddRange((await limited.ObserveBatchAsync(batch)).Select(Describe));
        }

        Assert.Contains(expected, e => e.Any(r => r.StartsWith("brute_force ", StringComparison.Ordinal)));
        Assert.Equal(expected, actual);
        // Read again: each batch of a group after its first brings back the group's earlier rows (40, 80, 120 and 160 of
        // each of its two windows), which the evaluator keeping everything never asks for.
        Assert.True(limitedStore.RowsRead >= unlimitedStore.RowsRead + 1000, $"{limitedStore.RowsRead} rows read, {unlimitedStore.RowsRead} when all is kept");
    }

    [Fact]
    public async Task Two_evaluators_sharing_a_store_each_count_what_the_other_recorded_since_it_last_read()
    {
        // Two instances take turns with batches of one storm: each keeps the windows it read and must still see the
        // other's rows, so the hundredth failure fires wherever it lands, counting all hundred.
        var store = new InMemoryCorrelationWindowStore();
        var (one, other) = (new CorrelationEvaluator(RuleSet, store), new CorrelationEvaluator(RuleSet, store));
        var results = new List<IReadOnlyList<SigmaCorrelationResult>>();
        var turn = 0;
        foreach (var batch in Storm(150, "10.6.6.6").Chunk(15))
        {
            results.AddRange(await (turn++ % 2 == 0 ? one : other).ObserveBatchAsync(batch));
        }

        Assert.DoesNotContain(results.Take(99), r => r.Any(result => result.Rule.Key == "brute_force"));
        Assert.Equal(100, Assert.Single(results[99], r => r.Rule.Key == "brute_force").EventCount);
        Assert.Equal(150, Assert.Single(results[149], r => r.Rule.Key == "brute_force").EventCount);
    }

    [Fact]
    public async Task A_batch_without_correlated_matches_does_not_touch_the_store()
    {
        var store = new CountingWindowStore();

        var results = await new CorrelationEvaluator(RuleSet, store).ObserveBatchAsync([]);

        Assert.Empty(results);
        Assert.Equal(0, store.Records + store.Reads);
    }

    [Fact]
    public async Task A_batch_gives_the_results_of_observing_its_matches_one_by_one()
    {
        // Two groups, several users, late and out-of-order events, a success after the brute force (a chain),
        // and the same batch delivered twice.
        var events = Enumerable.Range(0, 240)
            .Select(i => (
                Json: i % 7 == 6 ? CorrelationHarness.Succeeded(i % 2 == 0 ? "1.1.1.1" : "2.2.2.2", $"user{i % 5}")
                    : CorrelationHarness.Failed(i % 2 == 0 ? "1.1.1.1" : "2.2.2.2", $"user{i % 5}"),
                At: TimeSpan.FromSeconds(i % 10 == 3 ? i - 100 : i * 10),
                Id: $"e{i}"))
            .ToList();
        var matches = Matches(events.Concat(events));

        var oneByOne = new CorrelationEvaluator(RuleSet, new InMemoryCorrelationWindowStore());
        var expected = new List<List<string>>();
        foreach (var match in matches)
        {
            expected.Add(Describe(await oneByOne.ObserveAsync(match.Rule, match.Document, match.EventTime, match.EventId)));
        }

        var batched = await new CorrelationEvaluator(RuleSet, new InMemoryCorrelationWindowStore()).ObserveBatchAsync(matches);

        Assert.Contains(expected, e => e.Any(r => r.StartsWith("Brute force then success", StringComparison.Ordinal)));
        Assert.Equal(expected, batched.Select(Describe).ToList());
    }
}
