using Platform.Database.Queries;

namespace Platform.Ingestion.Queries;

/// <summary>The states of a run, as StartQuery / GetQueryResults name them.</summary>
public enum QueryRunStatus
{
    Scheduled,
    Running,
    Complete,
    Failed,
    Cancelled,
    Timeout,
}

/// <summary>What to run, and what to count first so a run reports recordsScanned before its rows come.</summary>
/// <param name="Statement">The compiled query; its columns are the run's.</param>
/// <param name="Scope">A statement answering one row (records, bytes): what the query reads.</param>
/// <param name="Kind">Whose run it is (<c>insights</c>, <c>sql</c>): a run is only found by its own API.</param>
/// <param name="RowLimit">The most rows wanted; the runner caps it at <see cref="QueryRunOptions.MaxRows"/>.</param>
/// <param name="Source">Where the statements run when not over the raw log store (the archive tier); null: the raw log store.</param>
public sealed record QueryRunRequest(string Kind, SqlStatement Statement, SqlStatement? Scope, int RowLimit, IQueryRunSource? Source = null);

/// <summary>
/// Runs a request's statements somewhere other than the raw log store (the archive's files); the runner keeps the run's
/// slot, state, limits and cancellation as for any run.
/// </summary>
public interface IQueryRunSource
{
    /// <summary>
    /// Reports what the query reads (<paramref name="scanned"/>: records, bytes), then each row (<paramref name="add"/>,
    /// values as <see cref="QueryRuns.Format"/> writes them), at most the request's row limit, ending by <paramref name="deadline"/>.
    /// A run that cannot end complete throws <see cref="QueryRunException"/>.
    /// </summary>
    Task RunAsync(QueryRunRequest request, DateTimeOffset deadline, Action<long, long> scanned, Action<string?[]> add, CancellationToken cancellationToken);
}

/// <summary>A run that ended <paramref name="status"/> (failed, timed out) for the reason <paramref name="message"/>, which the run's answer shows.</summary>
public sealed class QueryRunException(QueryRunStatus status, string message) : Exception(message)
{
    public QueryRunStatus Status { get; } = status;
}

/// <param name="RecordsMatched">Rows the statement produced so far.</param>
/// <param name="RecordsScanned">Events in the query's scope (time range and log groups).</param>
/// <param name="BytesScanned">Their size, as stored originally.</param>
public sealed record QueryRunStatistics(long RecordsMatched, long RecordsScanned, long BytesScanned);

/// <summary>A run as it stands; the caller shapes it into its API's answer.</summary>
/// <param name="Id">The run's id (queryId).</param>
/// <param name="Kind">Whose run it is.</param>
/// <param name="Status">Where it is.</param>
/// <param name="Columns">The statement's user-visible columns.</param>
/// <param name="Rows">The rows so far, each value as text (null when the row has none), in <paramref name="Columns"/> order.</param>
/// <param name="Statistics">What it scanned and matched so far.</param>
/// <param name="Error">Why the run failed, when it did.</param>
/// <param name="CreatedAt">When it was asked for.</param>
/// <param name="FinishedAt">When it ended, once it has.</param>
public sealed record QueryRunSnapshot(
    string Id,
    string Kind,
    QueryRunStatus Status,
    IReadOnlyList<string> Columns,
    IReadOnlyList<string?[]> Rows,
    QueryRunStatistics Statistics,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt);

/// <summary>One run's mutable state, changed by its execution and read by the API at any time.</summary>
internal sealed class QueryRun(string id, QueryRunRequest request, DateTimeOffset createdAt)
{
    private readonly Lock _gate = new();
    private readonly List<string?[]> _rows = [];
    private QueryRunStatus _status = QueryRunStatus.Scheduled;
    private long _scanned;
    private long _bytes;
    private string? _error;
    private DateTimeOffset? _finishedAt;

    public string Id { get; } = id;

    public QueryRunRequest Request { get; } = request;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public CancellationTokenSource Cancellation { get; } = new();

    public bool IsFinished
    {
        get
        {
            lock (_gate)
            {
                return _finishedAt is not null;
            }
        }
    }

    public DateTimeOffset? FinishedAt
    {
        get
        {
            lock (_gate)
            {
                return _finishedAt;
            }
        }
    }

    public int RowCount
    {
        get
        {
            lock (_gate)
            {
                return _rows.Count;
            }
        }
    }

    public void Start()
    {
        lock (_gate)
        {
            _status = QueryRunStatus.Running;
        }
    }

    public void Scanned(long records, long bytes)
    {
        lock (_gate)
        {
            (_scanned, _bytes) = (records, bytes);
        }
    }

    public void Add(string?[] row)
    {
        lock (_gate)
        {
            _rows.Add(row);
        }
    }

    /// <summary>Ends the run once: a later outcome (a cancel racing the end) does not change it.</summary>
    public bool Finish(QueryRunStatus status, DateTimeOffset at, string? error = null)
    {
        lock (_gate)
        {
            if (_finishedAt is not null)
            {
                return false;
            }
            (_status, _finishedAt, _error) = (status, at, error);
            return true;
        }
    }

    public QueryRunSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new QueryRunSnapshot(
                Id, Request.Kind, _status, Request.Statement.Columns, _rows.ToArray(), new QueryRunStatistics(_rows.Count, _scanned, _bytes),
                _error, CreatedAt, _finishedAt);
        }
    }
}
