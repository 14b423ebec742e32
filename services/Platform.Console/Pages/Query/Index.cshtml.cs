using System.Text.RegularExpressions;
using Platform.Console.Charts;

namespace Platform.Console.Pages.Query;

/// <summary>
/// Logs Insights and SQL (CloudTrail Lake / Athena) over ingestion's raw log store: the results as a table, and for a
/// Logs Insights <c>stats ... by bin()</c> a chart of each numeric column over the bins.
/// </summary>
public sealed partial class IndexModel(IngestionApi ingestion, TimeProvider time) : ConsolePage
{
    public const string Insights = "insights";
    public const string Sql = "sql";

    [BindProperty]
    public string Language { get; set; } = Insights;

    [BindProperty]
    public string? QueryText { get; set; }

    [BindProperty]
    public string? LogGroups { get; set; }

    [BindProperty]
    public string Range { get; set; } = TimeRange.Presets[0].Key;

    [BindProperty]
    public string? From { get; set; }

    [BindProperty]
    public string? To { get; set; }

    public QueryTable? Results { get; private set; }

    public TimeSeries? Chart { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(QueryText))
        {
            errors.Add("queryText", "is required");
        }
        if (Language is not (Insights or Sql))
        {
            errors.Add("language", $"must be {Insights} or {Sql}");
        }
        var range = Language == Insights
            ? TimeRange.Read(name => name switch { "range" => Range, "from" => From, _ => To }, time.GetUtcNow(), errors)
            : null;
        if (errors.HasErrors)
        {
            Error = errors.ToString();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (Language == Sql)
        {
            Results = await TryAsync(ct => ingestion.SqlAsync(QueryText!, ct));
        }
        else
        {
            var groups = (LogGroups ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Results = await TryAsync(ct => ingestion.InsightsAsync(QueryText!, groups, range!.Start, range.End, ct));
            if (Results is not null && ByBin().IsMatch(QueryText!))
            {
                Chart = BinChart(Results, range!);
            }
        }
        if (Error is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    /// <summary>The bin column (its values times) against every other column whose values are numbers.</summary>
    private static TimeSeries? BinChart(QueryTable table, TimeRange range)
    {
        var bin = -1;
        for (var i = 0; i < table.Columns.Count && bin < 0; i++)
        {
            bin = table.Columns[i].StartsWith("bin(", StringComparison.OrdinalIgnoreCase) ? i : -1;
        }
        if (bin < 0)
        {
            return null;
        }
        var series = new List<ChartSeries>();
        for (var c = 0; c < table.Columns.Count; c++)
        {
            if (c == bin)
            {
                continue;
            }
            var points = new List<ChartPoint>();
            foreach (var row in table.Rows)
            {
                if (DateTimeOffset.TryParse(row[bin], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                    && double.TryParse(row[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    points.Add(new ChartPoint(at, value));
                }
            }
            if (points.Count > 0)
            {
                series.Add(new ChartSeries(table.Columns[c], [.. points.OrderBy(p => p.At)]));
            }
        }
        return series.Count == 0 ? null : new TimeSeries("Results by bin", series, range.Start, range.End);
    }

    [GeneratedRegex(@"\bby\s+bin\s*\(", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex ByBin();
}
