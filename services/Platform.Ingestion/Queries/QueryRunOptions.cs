using System.ComponentModel.DataAnnotations;

namespace Platform.Ingestion.Queries;

/// <summary>How query runs are bounded, under <c>Platform:Ingestion:Queries</c>: time, rows, how many at once, how many kept.</summary>
public sealed class QueryRunOptions
{
    public const string Section = "Platform:Ingestion:Queries";

    /// <summary>The longest a run may take in the database; past it the run ends with status Timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan StatementTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most rows a run returns, whatever the query asks for (GetQueryResults' own cap).</summary>
    [Range(1, 100_000)]
    public int MaxRows { get; set; } = 10_000;

    /// <summary>How many runs execute at once; the others wait with status Scheduled.</summary>
    [Range(1, 64)]
    public int MaxConcurrentRuns { get; set; } = 4;

    /// <summary>How many runs are kept (running or finished); a new run past it drops the oldest finished one, or is refused.</summary>
    [Range(1, 100_000)]
    public int MaxKeptRuns { get; set; } = 200;

    /// <summary>How long a finished run's results are kept.</summary>
    [Interval]
    public TimeSpan KeepFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often a long run logs its progress.</summary>
    [Interval]
    public TimeSpan ProgressLogInterval { get; set; } = TimeSpan.FromSeconds(10);
}
