using Platform.Console.Charts;

namespace Platform.Console.Pages.Dashboards;

/// <summary>
/// One widget of a dashboard over a time range, as an HTML fragment its frame loads (and reloads on refresh). Its root
/// says its state: <c>ready</c>, <c>empty</c> (the service answered with nothing) or <c>error</c> (with the service's
/// words). A wrong range or index is a 400 problem naming the field.
/// </summary>
public sealed class WidgetModel(
    ProvisioningApi provisioning, AlertingApi alerting, IngestionApi ingestion, DetectionApi detection, ComplianceApi compliance,
    TimeProvider time) : ConsolePage
{
    /// <summary>The most findings a findings widget reads (pages of the API's largest size).</summary>
    public const int MaxFindings = 5_000;

    [FromRoute]
    public string Name { get; set; } = "";

    [FromRoute]
    public int Index { get; set; }

    public TimeRange Range { get; private set; } = null!;

    public DashboardWidget? Widget { get; private set; }

    /// <summary>A metric or findings widget's chart.</summary>
    public TimeSeries? Chart { get; private set; }

    /// <summary>A log widget's rows.</summary>
    public QueryTable? Table { get; private set; }

    /// <summary>An alarm widget's alarms: the state, or why it could not be read.</summary>
    public IReadOnlyList<(string Name, AlarmState? State, string? Error)> Alarms { get; private set; } = [];

    /// <summary>A compliance widget's rules.</summary>
    public IReadOnlyList<RuleComplianceSummary> Rules { get; private set; } = [];

    public bool IsEmpty => Widget switch
    {
        MetricWidget or FindingsWidget => Chart?.IsEmpty ?? true,
        LogWidget => Table is not { Rows.Count: > 0 },
        ComplianceWidget => Rules.Count == 0,
        _ => false,
    };

    public async Task<IActionResult> OnGetAsync()
    {
        var errors = new ValidationErrors();
        var range = TimeRange.Read(name => Request.Query[name], time.GetUtcNow(), errors);
        if (range is null)
        {
            return Answer(errors.ToProblem());
        }
        Range = range;
        if (await TryAsync(ct => provisioning.DashboardAsync(Name, ct)) is not { } dashboard)
        {
            return Page();
        }
        var problems = new ValidationErrors();
        var widgets = DashboardBody.Read(dashboard.Spec.DashboardBody, "DashboardBody", problems.Add) ?? [];
        if (Index < 0 || Index >= widgets.Count)
        {
            return Answer(ProblemDetailsExtensions.FieldProblem("index", $"must be from 0 to {widgets.Count - 1}: the dashboard has {widgets.Count} widgets"));
        }
        Widget = widgets[Index];
        switch (Widget)
        {
            case MetricWidget metric:
                Chart = await TryAsync(async ct => MetricChart(metric, await alerting.MetricDataAsync(metric.Metrics, metric.Period, range.Start, range.End, ct)));
                break;
            case LogWidget log:
                Table = await TryAsync(ct => ingestion.InsightsAsync(log.Query, null, range.Start, range.End, ct));
                break;
            case AlarmWidget alarm:
                Alarms = await ReadAlarmsAsync(alarm);
                break;
            case FindingsWidget findings:
                Chart = await TryAsync(ct => FindingsChartAsync(findings, ct));
                break;
            case ComplianceWidget rules:
                var summary = await TryAsync(compliance.SummaryAsync);
                Rules = summary?.ConfigRules.Where(r => rules.Rules.Count == 0 || rules.Rules.Contains(r.ConfigRuleName)).ToList() ?? [];
                break;
        }
        return Page();
    }

    private TimeSeries MetricChart(MetricWidget widget, MetricData data) => new(
        widget.Title,
        [.. data.MetricDataResults.Select(r => new ChartSeries(r.Label, [.. r.Timestamps.Zip(r.Values, (at, value) => new ChartPoint(at, value))]))],
        Range.Start, Range.End);

    private async Task<IReadOnlyList<(string, AlarmState?, string?)>> ReadAlarmsAsync(AlarmWidget widget)
    {
        var alarms = new List<(string, AlarmState?, string?)>();
        foreach (var name in widget.AlarmNames)
        {
            try
            {
                alarms.Add((name, await alerting.AlarmAsync(name, HttpContext.RequestAborted), null));
            }
            catch (PlatformApiException ex)
            {
                alarms.Add((name, null, ex.Message));
            }
        }
        return alarms;
    }

    /// <summary>Findings last seen in the range, counted per period and severity: one line per severity.</summary>
    private async Task<TimeSeries> FindingsChartAsync(FindingsWidget widget, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<(FindingSeverity, DateTimeOffset), int>();
        var period = TimeSpan.FromSeconds(widget.Period);
        string? cursor = null;
        var read = 0;
        do
        {
            var query = $"?minSeverity={widget.MinSeverity.ToString().ToLowerInvariant()}&from={Uri.EscapeDataString(Range.Start.ToString("O"))}" +
                        $"&to={Uri.EscapeDataString(Range.End.ToString("O"))}&limit={QueryParameters.MaxLimit}" +
                        (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await detection.FindingsAsync(query, cancellationToken);
            foreach (var finding in page.Items)
            {
                var bucket = Range.Start + period * Math.Floor((finding.LastSeenAt - Range.Start) / period);
                counts[(finding.Severity, bucket)] = counts.GetValueOrDefault((finding.Severity, bucket)) + 1;
            }
            read += page.Items.Count;
            cursor = page.NextCursor;
        }
        while (cursor is not null && read < MaxFindings);
        var series = counts.GroupBy(c => c.Key.Item1).OrderByDescending(g => g.Key)
            .Select(g => new ChartSeries(g.Key.ToString(), [.. g.OrderBy(c => c.Key.Item2).Select(c => new ChartPoint(c.Key.Item2, c.Value))]))
            .ToList();
        return new TimeSeries(widget.Title, series, Range.Start, Range.End);
    }
}
