namespace Platform.Dashboards;

/// <summary>One widget of a dashboard, as its page draws it. <see cref="Width"/> is CloudWatch's grid width (1 to 24).</summary>
public abstract record DashboardWidget(string Type, string Title, int Width);

/// <summary>One line of a metric widget: a metric (namespace, name, dimensions) and the statistic drawn.</summary>
public sealed record MetricLine(string Namespace, string MetricName, IReadOnlyDictionary<string, string> Dimensions, string Stat, string Label);

/// <summary><c>metric</c>: time series of the alerting service's metrics, one line per metric, over <see cref="Period"/> seconds.</summary>
public sealed record MetricWidget(string Title, int Width, IReadOnlyList<MetricLine> Metrics, int Period)
    : DashboardWidget(DashboardBody.Metric, Title, Width);

/// <summary><c>log</c>: a Logs Insights query (naming its log groups with <c>SOURCE</c>) whose rows the widget shows.</summary>
public sealed record LogWidget(string Title, int Width, string Query)
    : DashboardWidget(DashboardBody.Log, Title, Width);

/// <summary><c>text</c>: Markdown, shown as text.</summary>
public sealed record TextWidget(string Title, int Width, string Markdown)
    : DashboardWidget(DashboardBody.Text, Title, Width);

/// <summary><c>alarm</c>: the state of alarms, named by ARN (<c>arn:aws:cloudwatch:...:alarm:Name</c>) or by name.</summary>
public sealed record AlarmWidget(string Title, int Width, IReadOnlyList<string> AlarmNames)
    : DashboardWidget(DashboardBody.Alarm, Title, Width);

/// <summary><c>findings</c> (the platform's own): findings at or above <see cref="MinSeverity"/>, by severity over time.</summary>
public sealed record FindingsWidget(string Title, int Width, FindingSeverity MinSeverity, int Period)
    : DashboardWidget(DashboardBody.Findings, Title, Width);

/// <summary><c>compliance</c> (the platform's own): compliance by config rule, the rules named or every rule.</summary>
public sealed record ComplianceWidget(string Title, int Width, IReadOnlyList<string> Rules)
    : DashboardWidget(DashboardBody.Compliance, Title, Width);
