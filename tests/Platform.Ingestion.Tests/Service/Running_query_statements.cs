using Platform.Database.Queries;
using Platform.Ingestion.Queries;

namespace Platform.Ingestion.Tests.Service;

/// <summary>
/// The query runner both query languages share: whatever statement it is given runs read-only, as a role that can
/// read the raw log store only, within the statement timeout, and stops in the database when cancelled.
/// </summary>
[Collection(IngestionServiceCollection.Name)]
public sealed class Running_query_statements(IngestionService service)
{
    private QueryRuns Runs => service.Service<QueryRuns>();

    [Theory]
    [InlineData("SELECT count(*)::text FROM quarantine")]
    [InlineData("SELECT event_id FROM ingested_event_ids")]
    [InlineData("SELECT nextval('quarantine_id_seq')::text")]
    public async Task A_statement_that_writes_or_reads_past_the_log_store_fails_and_changes_nothing(string text)
    {
        var ids = new List<string>();
        await service.IngestAsync("/v1/ingest/cloudwatch-logs", Samples.FreshSubscriptionPayload(3, ids, "runner-" + Guid.NewGuid().ToString("N")));

        var run = await RunAsync(new SqlStatement(text, [], ["x"]));

        Assert.Equal(QueryRunStatus.Failed, run.Status);
        Assert.Matches("permission denied|read-only transaction", run.Error);
        await using var count = service.Database.CreateCommand("SELECT count(*) FROM log_events WHERE event_id = ANY($1)");
        count.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        Assert.Equal(3L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_statement_running_past_the_timeout_ends_with_status_timeout()
    {
        var run = await RunAsync(new SqlStatement("SELECT pg_sleep(30)::text", [], ["slept"]));

        Assert.Equal(QueryRunStatus.Timeout, run.Status);
        Assert.True(run.FinishedAt - run.CreatedAt < IngestionService.QueryTimeout + TimeSpan.FromSeconds(3), $"ended after {run.FinishedAt - run.CreatedAt}");
    }

    [Fact]
    public async Task Cancelling_a_run_stops_its_statement_in_the_database()
    {
        var started = Runs.Start(new QueryRunRequest("test", new SqlStatement($"SELECT pg_sleep({SleepMarker})::text", [], ["slept"]), null, 10))!;
        Assert.Equal(1, await Eventually.ObserveAsync(SleepingStatementsAsync, n => n == 1, TimeSpan.FromSeconds(10)));

        Assert.True(await Runs.CancelAsync("test", started.Id));

        var run = await Eventually.ObserveAsync(() => Task.FromResult(Runs.Find("test", started.Id)!), r => r.FinishedAt is not null, TimeSpan.FromSeconds(5));
        Assert.Equal(QueryRunStatus.Cancelled, run.Status);
        Assert.Equal(0, await Eventually.ObserveAsync(SleepingStatementsAsync, n => n == 0, TimeSpan.FromSeconds(5)));
        Assert.False(await Runs.CancelAsync("test", started.Id));
    }

    [Fact]
    public async Task The_rows_returned_stop_at_the_row_limit_whatever_the_statement_asks()
    {
        var run = await RunAsync(new SqlStatement("SELECT g::text FROM generate_series(1, 1000) AS g", [], ["g"]), rowLimit: 7);

        Assert.Equal(QueryRunStatus.Complete, run.Status);
        Assert.Equal(7, run.Rows.Count);
        Assert.Equal(7, run.Statistics.RecordsMatched);
    }

    [Fact]
    public async Task A_run_is_found_only_by_its_own_kind()
    {
        var run = await RunAsync(new SqlStatement("SELECT 'x'", [], ["x"]));

        Assert.Null(Runs.Find("other", run.Id));
        Assert.False(await Runs.CancelAsync("other", run.Id));
    }

    private async Task<QueryRunSnapshot> RunAsync(SqlStatement statement, int rowLimit = 100)
    {
        var started = Runs.Start(new QueryRunRequest("test", statement, null, rowLimit))!;
        var run = await Eventually.ObserveAsync(() => Task.FromResult(Runs.Find("test", started.Id)!), r => r.FinishedAt is not null, TimeSpan.FromSeconds(15));
        Assert.NotNull(run.FinishedAt);
        return run;
    }

    /// <summary>A sleep no other test asks for, so the statement is recognised in pg_stat_activity.</summary>
    private const string SleepMarker = "29.731";

    private async Task<long> SleepingStatementsAsync()
    {
        await using var command = service.Database.CreateCommand(
            $"SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND datname = current_database() AND query LIKE '%pg_sleep({SleepMarker})%' AND pid <> pg_backend_pid()");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
