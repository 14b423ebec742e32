using Npgsql;
using Platform.Detection.Correlation;

namespace Platform.Detection.Tests;

[Collection(DetectionCollection.Name)]
public sealed class Correlation_window_store(DetectionHost detection) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2024, 8, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _correlation = $"store-{Guid.NewGuid():N}";
    private NpgsqlDataSource _dataSource = null!;

    public Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(detection.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    private CorrelationObservation Observation(string group, int second, string eventId, string? value = null) =>
        new(_correlation, group, T0.AddSeconds(second), eventId, "rule", value);

    private CorrelationWindowRead Read(string group, int fromSecond, int toSecond, CorrelationWindowKnown? known = null) =>
        new(_correlation, group, T0.AddSeconds(fromSecond), T0.AddSeconds(toSecond), known);

    private static string[] IdsOf(CorrelationWindowChanges changes) => [.. changes.Observations.Select(o => o.EventId).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Records_a_batch_once_and_says_which_observations_it_stored()
    {
        var store = new PostgresCorrelationWindowStore(_dataSource);
        await store.RecordAsync([Observation("a", 0, "e0")]);

        var stored = await store.RecordAsync(
            [Observation("a", 0, "e0"), Observation("a", 1, "e1", "443"), Observation("a", 1, "e1", "443"), Observation("b", 2, "e2")]);

        Assert.Equal([false, true, false, true], stored);
        var window = await store.ReadAsync([Read("a", -1, 10)]);
        Assert.Equal(["e0", "e1"], IdsOf(window));
        Assert.Equal("443", window.Observations.Single(o => o.EventId == "e1").Value);
    }

    [Fact]
    public async Task Reads_the_windows_of_several_groups_in_one_call_with_exclusive_bounds()
    {
        var store = new PostgresCorrelationWindowStore(_dataSource);
        await store.RecordAsync([.. Enumerable.Range(0, 10).SelectMany(i => new[] { Observation("a", i, $"a{i}"), Observation("b", i, $"b{i}") })]);

        var rows = await store.ReadAsync([Read("a", 2, 5), Read("b", 7, 60), Read("missing", 0, 60)]);

        Assert.Equal(["a3", "a4", "b8", "b9"], IdsOf(rows));
        Assert.All(rows.Observations, o => Assert.Equal(_correlation, o.CorrelationKey));
        Assert.Equal(T0.AddSeconds(3), rows.Observations.Single(o => o.EventId == "a3").EventTime);
    }

    [Fact]
    public async Task A_read_of_a_known_window_finds_what_another_instance_recorded_since_and_rows_further_on_and_misses_none()
    {
        var (one, other) = (new PostgresCorrelationWindowStore(_dataSource), new PostgresCorrelationWindowStore(_dataSource));
        await one.RecordAsync([.. Enumerable.Range(0, 5).Select(i => Observation("a", i, $"a{i}"))]);
        var first = await one.ReadAsync([Read("a", -1, 10)]);
        Assert.Equal(5, first.Observations.Count);
        var known = new CorrelationWindowKnown(T0.AddSeconds(-1), T0.AddSeconds(10), first.Watermark);

        await other.RecordAsync([Observation("a", 5, "a5"), Observation("a", 12, "a12"), Observation("b", 1, "b1")]);

        // Rows of transactions below the watermark are not read again (other tests' transactions may hold it back,
        // so some may be): what matters is that nothing new is missed and nothing outside the range comes.
        var again = await one.ReadAsync([Read("a", -1, 10, known)]);
        Assert.Contains("a5", IdsOf(again));
        Assert.Subset(new HashSet<string>(["a0", "a1", "a2", "a3", "a4", "a5"]), new HashSet<string>(IdsOf(again)));
        var further = await one.ReadAsync([Read("a", 2, 20, known with { Watermark = again.Watermark })]);
        Assert.Contains("a12", IdsOf(further));
        Assert.Subset(new HashSet<string>(["a3", "a4", "a5", "a12"]), new HashSet<string>(IdsOf(further)));
    }

    [Fact]
    public async Task A_read_of_a_known_window_leaves_out_the_rows_written_before_its_watermark()
    {
        // What makes a kept window cost its new rows: with the watermark past the writers of the known rows, only rows
        // written since come back. Another transaction open at a read holds the watermark back (rows after it come
        // again), so the read is repeated, each with the watermark the last gave, until one is past them.
        var store = new PostgresCorrelationWindowStore(_dataSource);
        await store.RecordAsync([.. Enumerable.Range(0, 200).Select(i => Observation("big", i % 50, $"r{i}"))]);
        var changes = await store.ReadAsync([Read("big", -1, 60)]);
        Assert.Equal(200, changes.Observations.Count);
        await store.RecordAsync([Observation("big", 10, "new")]);

        var held = new HashSet<string>();
        for (var read = 0; read < 20 && (read == 0 || changes.Observations.Count > 0); read++)
        {
            await Task.Delay(read * 50);
            changes = await store.ReadAsync([Read("big", -1, 60, new CorrelationWindowKnown(T0.AddSeconds(-1), T0.AddSeconds(60), changes.Watermark))]);
            held.UnionWith(IdsOf(changes));
        }

        Assert.Contains("new", held);
        Assert.Empty(changes.Observations);
    }

    [Fact]
    public async Task A_row_whose_transaction_was_in_flight_at_a_read_is_read_once_it_has_committed()
    {
        // What a reader knows is complete only for the transactions that had finished when it read: one that had written
        // a row but not committed is below no watermark yet, so its row is asked for again until it shows.
        var store = new PostgresCorrelationWindowStore(_dataSource);
        await store.RecordAsync([Observation("a", 0, "a0")]);
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var inFlight = await connection.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO correlation_observations (correlation_key, group_key, event_id, rule_key, event_time) VALUES ($1, 'a', 'late', 'rule', $2)", connection, inFlight))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _correlation });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = T0.AddSeconds(1) });
            await insert.ExecuteNonQueryAsync();
        }

        var held = new HashSet<string>();
        async Task<CorrelationWindowKnown> ReadAgainAsync(CorrelationWindowKnown? known)
        {
            var changes = await store.ReadAsync([Read("a", -1, 10, known)]);
            held.UnionWith(IdsOf(changes));
            return new CorrelationWindowKnown(T0.AddSeconds(-1), T0.AddSeconds(10), changes.Watermark);
        }

        var known = await ReadAgainAsync(null);
        Assert.Equal(["a0"], held);
        await store.RecordAsync([Observation("a", 2, "a2")]);
        known = await ReadAgainAsync(known);
        Assert.Equal(["a0", "a2"], held.Order(StringComparer.Ordinal));

        await inFlight.CommitAsync();
        await ReadAgainAsync(known);
        Assert.Equal(["a0", "a2", "late"], held.Order(StringComparer.Ordinal));
    }
}
