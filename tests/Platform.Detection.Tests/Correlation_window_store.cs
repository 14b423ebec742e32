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

    [Fact]
    public async Task Records_a_batch_once_and_says_which_observations_it_stored()
    {
        var store = new PostgresCorrelationWindowStore(_dataSource);
        await store.RecordAsync([Observation("a", 0, "e0")]);

        var stored = await store.RecordAsync(
            [Observation("a", 0, "e0"), Observation("a", 1, "e1", "443"), Observation("a", 1, "e1", "443"), Observation("b", 2, "e2")]);

        Assert.Equal([false, true, false, true], stored);
        var window = await store.GetObservationsAsync([new CorrelationWindowRange(_correlation, "a", T0.AddSeconds(-1), T0.AddSeconds(10))]);
        Assert.Equal(["e0", "e1"], window.Select(o => o.EventId).Order(StringComparer.Ordinal));
        Assert.Equal("443", window.Single(o => o.EventId == "e1").Value);
    }

    [Fact]
    public async Task Reads_the_windows_of_several_groups_in_one_call_with_exclusive_bounds()
    {
        var store = new PostgresCorrelationWindowStore(_dataSource);
        await store.RecordAsync([.. Enumerable.Range(0, 10).SelectMany(i => new[] { Observation("a", i, $"a{i}"), Observation("b", i, $"b{i}") })]);

        var rows = await store.GetObservationsAsync(
        [
            new CorrelationWindowRange(_correlation, "a", T0.AddSeconds(2), T0.AddSeconds(5)),
            new CorrelationWindowRange(_correlation, "b", T0.AddSeconds(7), T0.AddSeconds(60)),
            new CorrelationWindowRange(_correlation, "missing", T0, T0.AddSeconds(60)),
        ]);

        Assert.Equal(["a3", "a4", "b8", "b9"], rows.Select(o => o.EventId).Order(StringComparer.Ordinal));
        Assert.All(rows, o => Assert.Equal(_correlation, o.CorrelationKey));
        Assert.Equal(T0.AddSeconds(3), rows.Single(o => o.EventId == "a3").EventTime);
    }

    [Fact]
    public async Task A_window_read_before_still_shows_what_another_instance_recorded_since_and_rows_further_on()
    {
        var (one, other) = (new PostgresCorrelationWindowStore(_dataSource), new PostgresCorrelationWindowStore(_dataSource));
        await one.RecordAsync([.. Enumerable.Range(0, 5).Select(i => Observation("a", i, $"a{i}"))]);
        var range = new CorrelationWindowRange(_correlation, "a", T0.AddSeconds(-1), T0.AddSeconds(10));
        Assert.Equal(5, (await one.GetObservationsAsync([range])).Count);

        await other.RecordAsync([Observation("a", 5, "a5"), Observation("a", 12, "a12"), Observation("b", 1, "b1")]);

        Assert.Equal([.. Enumerable.Range(0, 6).Select(i => $"a{i}")], (await one.GetObservationsAsync([range])).Select(o => o.EventId).Order(StringComparer.Ordinal));
        var further = await one.GetObservationsAsync([range with { FromExclusive = T0.AddSeconds(2), ToExclusive = T0.AddSeconds(20) }]);
        Assert.Equal(["a12", "a3", "a4", "a5"], further.Select(o => o.EventId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_row_whose_transaction_was_in_flight_at_a_read_is_read_once_it_has_committed()
    {
        // The kept window is complete only for the transactions that had finished when it was read: one that had written
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

        var range = new CorrelationWindowRange(_correlation, "a", T0.AddSeconds(-1), T0.AddSeconds(10));
        Assert.Equal(["a0"], (await store.GetObservationsAsync([range])).Select(o => o.EventId));
        await store.RecordAsync([Observation("a", 2, "a2")]);
        Assert.Equal(["a0", "a2"], (await store.GetObservationsAsync([range])).Select(o => o.EventId).Order(StringComparer.Ordinal));

        await inFlight.CommitAsync();
        Assert.Equal(["a0", "a2", "late"], (await store.GetObservationsAsync([range])).Select(o => o.EventId).Order(StringComparer.Ordinal));
    }
}
