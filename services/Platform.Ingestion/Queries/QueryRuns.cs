using Platform.Database.Queries;

namespace Platform.Ingestion.Queries;

/// <summary>
/// The one place that runs a compiled <see cref="SqlStatement"/> against the raw log store, for every query language
/// (Logs Insights, the SQL subset): in the background, a bounded number at once, each in a read-only transaction as
/// the <c>platform_query_reader</c> role (SELECT on log_events, nothing else), with a statement timeout, a row limit
/// enforced by the database, and cancellation that cancels the running statement. Progress is counted first: the
/// request's scope statement counts the events in range (recordsScanned) before the query runs, then the rows matched
/// grow as they stream in. Runs are kept in memory, bounded in number and time: results are for the analyst who
/// asked, like GetQueryResults', not a record.
/// </summary>
public sealed partial class QueryRuns : IDisposable
{
    /// <summary>The read-only role migration 0004 creates.</summary>
    public const string ReaderRole = "platform_query_reader";

    private const string QueryCanceled = "57014";

    private readonly ConcurrentDictionary<string, QueryRun> _runs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots;
    private readonly NpgsqlDataSource _dataSource;
    private readonly QueryRunOptions _options;
    private readonly IngestionTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger<QueryRuns> _logger;
    private readonly CancellationTokenRegistration _stopping;

    public QueryRuns(
        NpgsqlDataSource dataSource, QueryRunOptions options, IngestionTelemetry telemetry, TimeProvider time, ILogger<QueryRuns> logger,
        IHostApplicationLifetime lifetime)
    {
        (_dataSource, _options, _telemetry, _time, _logger) = (dataSource, options, telemetry, time, logger);
        _slots = new SemaphoreSlim(options.MaxConcurrentRuns);
        _stopping = lifetime.ApplicationStopping.Register(CancelAll);
    }

    /// <summary>Schedules <paramref name="request"/>; null when <see cref="QueryRunOptions.MaxKeptRuns"/> runs are kept and none has finished.</summary>
    public QueryRunSnapshot? Start(QueryRunRequest request)
    {
        var now = _time.GetUtcNow();
        lock (_runs)
        {
            foreach (var expired in _runs.Values.Where(r => r.FinishedAt + _options.KeepFor <= now).ToArray())
            {
                Drop(expired);
            }
            if (_runs.Count >= _options.MaxKeptRuns)
            {
                if (_runs.Values.Where(r => r.IsFinished).MinBy(r => r.FinishedAt) is not { } oldest)
                {
                    return null;
                }
                Drop(oldest);
            }
            var run = new QueryRun(Guid.NewGuid().ToString("N"), request with { RowLimit = Math.Clamp(request.RowLimit, 1, _options.MaxRows) }, now);
            _runs[run.Id] = run;
            _ = Task.Run(() => ExecuteAsync(run));
            return run.Snapshot();
        }
    }

    /// <summary>The run <paramref name="id"/> of <paramref name="kind"/>, while it is kept.</summary>
    public QueryRunSnapshot? Find(string kind, string id) => Get(kind, id)?.Snapshot();

    /// <summary>Cancels the run (the statement in the database too); false when it is unknown or already over.</summary>
    public async Task<bool> CancelAsync(string kind, string id)
    {
        if (Get(kind, id) is not { } run || run.IsFinished)
        {
            return false;
        }
        await run.Cancellation.CancelAsync();
        return true;
    }

    public void Dispose()
    {
        _stopping.Dispose();
        CancelAll();
        _slots.Dispose();
    }

    private QueryRun? Get(string kind, string id) =>
        _runs.TryGetValue(id, out var run) && run.Request.Kind == kind ? run : null;

    private void Drop(QueryRun run)
    {
        _runs.TryRemove(run.Id, out _);
        run.Cancellation.Dispose();
    }

    private void CancelAll()
    {
        foreach (var run in _runs.Values.Where(r => !r.IsFinished))
        {
            try
            {
                run.Cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Dropped meanwhile.
            }
        }
    }

    private async Task ExecuteAsync(QueryRun run)
    {
        using var activity = IngestionTelemetry.ActivitySource.StartActivity("query run");
        activity?.SetTag("platform.query.id", run.Id);
        activity?.SetTag("platform.query.kind", run.Request.Kind);
        var cancellation = run.Cancellation.Token;
        var (status, error) = (QueryRunStatus.Failed, (string?)null);
        var slotTaken = false;
        try
        {
            await _slots.WaitAsync(cancellation);
            slotTaken = true;
            run.Start();
            using var progress = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var logging = LogProgressAsync(run, progress.Token);
            try
            {
                await QueryAsync(run, cancellation);
            }
            finally
            {
                await progress.CancelAsync();
                await logging;
            }
            status = QueryRunStatus.Complete;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            status = QueryRunStatus.Cancelled;
        }
        catch (QueryRunException ex)
        {
            (status, error) = (ex.Status, ex.Message);
        }
        catch (PostgresException ex) when (ex.SqlState == QueryCanceled)
        {
            status = QueryRunStatus.Timeout;
            error = $"the query ran longer than the limit of {_options.StatementTimeout}";
        }
        catch (PostgresException ex)
        {
            // The database's message names no user value it was not given; it says why (permission, bad regex, ...).
            error = ex.MessageText;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            error = "the query could not be run";
            LogFailed(ex, run.Id);
        }
        finally
        {
            if (slotTaken)
            {
                _slots.Release();
            }
        }
        run.Finish(status, _time.GetUtcNow(), error);
        activity?.SetTag("platform.query.status", status.ToString());
        activity?.SetTag("platform.query.rows", run.RowCount);
        if (status != QueryRunStatus.Complete)
        {
            activity?.SetStatus(ActivityStatusCode.Error, error ?? status.ToString());
        }
        _telemetry.QueryRuns.Add(1, new("status", status.ToString()), new("kind", run.Request.Kind));
        LogFinished(run.Id, run.Request.Kind, status, run.RowCount, _time.GetUtcNow() - run.CreatedAt);
    }

    private async Task QueryAsync(QueryRun run, CancellationToken cancellation)
    {
        var deadline = _time.GetUtcNow() + _options.StatementTimeout;
        if (run.Request.Source is { } source)
        {
            await source.RunAsync(run.Request, deadline, run.Scanned, run.Add, cancellation);
            return;
        }
        await using var connection = await _dataSource.OpenConnectionAsync(cancellation);
        // Repeatable read: the count and the query see the same rows.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellation);
        await using (var guard = new NpgsqlCommand($"SET TRANSACTION READ ONLY; SET LOCAL ROLE {ReaderRole}", connection, transaction))
        {
            await guard.ExecuteNonQueryAsync(cancellation);
        }
        if (run.Request.Scope is { } scope)
        {
            await SetTimeoutAsync(connection, transaction, deadline, cancellation);
            await using var count = Command(connection, transaction, scope.Text, scope.Parameters);
            await using var counted = await count.ExecuteReaderAsync(cancellation);
            if (await counted.ReadAsync(cancellation))
            {
                run.Scanned(counted.IsDBNull(0) ? 0 : Convert.ToInt64(counted.GetValue(0), CultureInfo.InvariantCulture),
                    counted.IsDBNull(1) ? 0 : Convert.ToInt64(counted.GetValue(1), CultureInfo.InvariantCulture));
            }
        }
        await SetTimeoutAsync(connection, transaction, deadline, cancellation);
        // The limit is the database's, whatever the statement asks for: the runner never reads more rows than it keeps.
        var statement = run.Request.Statement;
        await using var command = Command(
            connection, transaction, $"SELECT * FROM ({statement.Text}) AS query LIMIT ${statement.Parameters.Count + 1}",
            [.. statement.Parameters, run.Request.RowLimit]);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : Format(reader.GetValue(i));
            }
            run.Add(row);
        }
    }

    private static async Task SetTimeoutAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset deadline, CancellationToken cancellation)
    {
        var remaining = (long)Math.Max(1, (deadline - DateTimeOffset.UtcNow).TotalMilliseconds);
        await using var command = Command(connection, transaction, "SELECT set_config('statement_timeout', $1, true)", [remaining.ToString(CultureInfo.InvariantCulture)]);
        await command.ExecuteNonQueryAsync(cancellation);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string text, IEnumerable<object?> parameters)
    {
        var command = new NpgsqlCommand(text, connection, transaction);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
        return command;
    }

    /// <summary>
    /// A value as the APIs answer it: text, times as <c>yyyy-MM-dd HH:mm:ss.fff</c> (UTC; a time of no kind is one),
    /// numbers invariant.
    /// </summary>
    public static string? Format(object value) => value switch
    {
        string text => text,
        DateTime { Kind: DateTimeKind.Unspecified } time => DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString(TimeFormat, CultureInfo.InvariantCulture),
        DateTime time => time.ToUniversalTime().ToString(TimeFormat, CultureInfo.InvariantCulture),
        DateTimeOffset time => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss.fff";

    private async Task LogProgressAsync(QueryRun run, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.ProgressLogInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var stats = run.Snapshot().Statistics;
                LogProgress(run.Id, stats.RecordsScanned, stats.RecordsMatched, _time.GetUtcNow() - run.CreatedAt);
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    [LoggerMessage(LogLevel.Information, "Query {QueryId} still running after {Elapsed}: {Scanned} records in scope, {Matched} rows so far")]
    private partial void LogProgress(string queryId, long scanned, long matched, TimeSpan elapsed);

    [LoggerMessage(LogLevel.Information, "Query {QueryId} ({Kind}) ended {Status} with {Rows} rows after {Elapsed}")]
    private partial void LogFinished(string queryId, string kind, QueryRunStatus status, int rows, TimeSpan elapsed);

    [LoggerMessage(LogLevel.Warning, "Query {QueryId} could not be run")]
    private partial void LogFailed(Exception exception, string queryId);
}
