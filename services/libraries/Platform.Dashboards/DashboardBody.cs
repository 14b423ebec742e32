using Platform.LogsInsights;

namespace Platform.Dashboards;

/// <summary>
/// Reads a CloudWatch dashboard body (the JSON string <c>put_dashboard</c> takes as <c>DashboardBody</c>) into typed
/// widgets: <c>metric</c>, <c>log</c>, <c>text</c> and <c>alarm</c> as CloudWatch writes them, plus the platform's own
/// <c>findings</c> and <c>compliance</c>. One reader for both sides, so a body provisioning accepted is a body the console
/// can draw. Layout fields (<c>x</c>, <c>y</c>, <c>height</c>) and fields the platform does not draw (<c>region</c>,
/// <c>view</c>, ...) are accepted and ignored, as a body written for CloudWatch carries them.
/// </summary>
public static class DashboardBody
{
    public const string Metric = "metric";
    public const string Log = "log";
    public const string Text = "text";
    public const string Alarm = "alarm";
    public const string Findings = "findings";
    public const string Compliance = "compliance";

    public static readonly IReadOnlyList<string> WidgetTypes = [Metric, Log, Text, Alarm, Findings, Compliance];

    /// <summary>CloudWatch's limit on widgets per dashboard.</summary>
    public const int MaxWidgets = 500;

    /// <summary>CloudWatch's limit on a dashboard body.</summary>
    public const int MaxBodyLength = 1_000_000;

    /// <summary>CloudWatch's default period and statistic of a metric widget.</summary>
    public const int DefaultPeriod = 300;
    public const string DefaultStat = "Average";

    /// <summary>The statistics the alerting service computes.</summary>
    public static readonly IReadOnlyList<string> Stats = ["Sum", "Average", "Minimum", "Maximum", "SampleCount"];

    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 32 };

    /// <summary>
    /// The widgets of <paramref name="body"/>; null when it is not a dashboard body, each reason given to
    /// <paramref name="error"/> with its field under <paramref name="field"/> (<c>DashboardBody.widgets[0].type</c>).
    /// </summary>
    public static IReadOnlyList<DashboardWidget>? Read(string? body, string field, Action<string, string> error)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            error(field, "is required: the dashboard body as a JSON string ({\"widgets\": [...]})");
            return null;
        }
        if (body.Length > MaxBodyLength)
        {
            error(field, $"is longer than {MaxBodyLength} characters");
            return null;
        }
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body, documentOptions: ReadOptions);
        }
        catch (JsonException ex)
        {
            error(field, $"is not JSON: {ex.Message}");
            return null;
        }
        if (root is not JsonObject dashboard || dashboard["widgets"] is not JsonArray widgets)
        {
            error($"{field}.widgets", "is required: an array of widgets");
            return null;
        }
        if (widgets.Count > MaxWidgets)
        {
            error($"{field}.widgets", $"holds {widgets.Count} widgets: at most {MaxWidgets}");
            return null;
        }
        var read = new List<DashboardWidget>(widgets.Count);
        var failed = false;
        for (var i = 0; i < widgets.Count; i++)
        {
            var at = $"{field}.widgets[{i}]";
            if (ReadWidget(widgets[i], at, (f, r) => { failed = true; error(f, r); }) is { } widget)
            {
                read.Add(widget);
            }
        }
        return failed ? null : read;
    }

    private static DashboardWidget? ReadWidget(JsonNode? node, string field, Action<string, string> error)
    {
        if (node is not JsonObject widget)
        {
            error(field, "must be a JSON object");
            return null;
        }
        var type = TextOf(widget["type"]);
        if (type is null || !WidgetTypes.Contains(type, StringComparer.Ordinal))
        {
            error($"{field}.type", $"must be one of {string.Join(", ", WidgetTypes)}");
            return null;
        }
        var width = 6;
        if (widget["width"] is { } w)
        {
            if (Integer(w) is not { } given || given is < 1 or > 24)
            {
                error($"{field}.width", "must be a whole number from 1 to 24");
                return null;
            }
            width = given;
        }
        if (widget["properties"] is not JsonObject properties)
        {
            error($"{field}.properties", "is required: a JSON object");
            return null;
        }
        var at = $"{field}.properties";
        var title = TextOf(properties["title"]) ?? "";
        return type switch
        {
            Metric => ReadMetric(properties, title, width, at, error),
            Log => ReadLog(properties, title, width, at, error),
            Text => TextOf(properties["markdown"]) is { } markdown
                ? new TextWidget(title, width, markdown)
                : Fail<TextWidget>(error, $"{at}.markdown", "is required: the widget's text"),
            Alarm => ReadAlarm(properties, title, width, at, error),
            Findings => ReadFindings(properties, title, width, at, error),
            _ => ReadCompliance(properties, title, width, at, error),
        };
    }

    private static MetricWidget? ReadMetric(JsonObject properties, string title, int width, string field, Action<string, string> error)
    {
        if (ReadStat(properties["stat"], DefaultStat, $"{field}.stat", error) is not { } stat
            || ReadPeriod(properties, field, error) is not { } period)
        {
            return null;
        }
        if (properties["metrics"] is not JsonArray { Count: > 0 } metrics)
        {
            return Fail<MetricWidget>(error, $"{field}.metrics", "is required: an array of [Namespace, MetricName, DimensionName, DimensionValue, ...]");
        }
        var lines = new List<MetricLine>();
        MetricLine? previous = null;
        for (var i = 0; i < metrics.Count; i++)
        {
            if (ReadMetricLine(metrics[i], previous, stat, $"{field}.metrics[{i}]", error) is not { } line)
            {
                return null;
            }
            lines.Add(line);
            previous = line;
        }
        return new MetricWidget(title, width, lines, period);
    }

    /// <summary>
    /// One metric array: <c>[Namespace, MetricName, DimName, DimValue, ..., {stat, label}]</c>, where <c>"."</c> repeats the
    /// previous line's value at that position (CloudWatch's shorthand).
    /// </summary>
    private static MetricLine? ReadMetricLine(JsonNode? node, MetricLine? previous, string stat, string field, Action<string, string> error)
    {
        if (node is not JsonArray items)
        {
            return Fail<MetricLine>(error, field, "must be an array: [Namespace, MetricName, DimensionName, DimensionValue, ...]");
        }
        var values = new List<string>();
        JsonObject? options = null;
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is JsonObject o && i == items.Count - 1)
            {
                options = o;
            }
            else if (TextOf(items[i]) is { } text)
            {
                values.Add(text);
            }
            else
            {
                return Fail<MetricLine>(error, $"{field}[{i}]", "must be a string (or, last, an options object)");
            }
        }
        var before = previous is null ? [] : new[] { previous.Namespace, previous.MetricName }
            .Concat(previous.Dimensions.SelectMany(d => new[] { d.Key, d.Value })).ToArray();
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] == ".")
            {
                if (i >= before.Length)
                {
                    return Fail<MetricLine>(error, $"{field}[{i}]", "is '.', but the previous metric has nothing at this position");
                }
                values[i] = before[i];
            }
        }
        if (values.Count < 2 || values[0].Length == 0 || values[1].Length == 0)
        {
            return Fail<MetricLine>(error, field, "must name at least a Namespace and a MetricName");
        }
        if (values.Count % 2 != 0)
        {
            return Fail<MetricLine>(error, field, "has a dimension name without its value");
        }
        var dimensions = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 2; i < values.Count; i += 2)
        {
            if (!dimensions.TryAdd(values[i], values[i + 1]))
            {
                return Fail<MetricLine>(error, $"{field}[{i}]", $"names dimension '{values[i]}' twice");
            }
        }
        if (ReadStat(options?["stat"], stat, $"{field}[{items.Count - 1}].stat", error) is not { } lineStat)
        {
            return null;
        }
        return new MetricLine(values[0], values[1], dimensions, lineStat, TextOf(options?["label"]) ?? values[1]);
    }

    private static LogWidget? ReadLog(JsonObject properties, string title, int width, string field, Action<string, string> error)
    {
        if (TextOf(properties["query"]) is not { } query || string.IsNullOrWhiteSpace(query))
        {
            return Fail<LogWidget>(error, $"{field}.query", "is required: a Logs Insights query starting with SOURCE '<log group>'");
        }
        InsightsQuery parsed;
        try
        {
            parsed = InsightsParser.Parse(query);
        }
        catch (InsightsSyntaxException ex)
        {
            return Fail<LogWidget>(error, $"{field}.query", ex.Message);
        }
        return parsed.Source is null
            ? Fail<LogWidget>(error, $"{field}.query", "must name its log groups with SOURCE '<log group>' | ...")
            : new LogWidget(title, width, query.Trim());
    }

    private static AlarmWidget? ReadAlarm(JsonObject properties, string title, int width, string field, Action<string, string> error)
    {
        if (properties["alarms"] is not JsonArray { Count: > 0 } alarms)
        {
            return Fail<AlarmWidget>(error, $"{field}.alarms", "is required: an array of alarm ARNs or names");
        }
        var names = new List<string>();
        for (var i = 0; i < alarms.Count; i++)
        {
            if (TextOf(alarms[i]) is not { Length: > 0 } arn)
            {
                return Fail<AlarmWidget>(error, $"{field}.alarms[{i}]", "must be an alarm ARN or name");
            }
            var at = arn.LastIndexOf(":alarm:", StringComparison.Ordinal);
            names.Add(at < 0 ? arn : arn[(at + ":alarm:".Length)..]);
        }
        return new AlarmWidget(title, width, names);
    }

    private static FindingsWidget? ReadFindings(JsonObject properties, string title, int width, string field, Action<string, string> error)
    {
        var minimum = FindingSeverity.Low;
        if (properties["minSeverity"] is { } m)
        {
            if (TextOf(m) is not { } given || !Enum.TryParse(given, ignoreCase: true, out minimum) || !Enum.IsDefined(minimum))
            {
                return Fail<FindingsWidget>(error, $"{field}.minSeverity", "must be one of informational, low, medium, high, critical");
            }
        }
        return ReadPeriod(properties, field, error) is { } period ? new FindingsWidget(title, width, minimum, period) : null;
    }

    private static ComplianceWidget? ReadCompliance(JsonObject properties, string title, int width, string field, Action<string, string> error)
    {
        var rules = new List<string>();
        if (properties["rules"] is { } given)
        {
            if (given is not JsonArray array)
            {
                return Fail<ComplianceWidget>(error, $"{field}.rules", "must be an array of config rule names");
            }
            for (var i = 0; i < array.Count; i++)
            {
                if (TextOf(array[i]) is not { Length: > 0 } rule)
                {
                    return Fail<ComplianceWidget>(error, $"{field}.rules[{i}]", "must be a config rule name");
                }
                rules.Add(rule);
            }
        }
        return new ComplianceWidget(title, width, rules);
    }

    /// <summary>The statistic given, <paramref name="fallback"/> when none is; null (and an error) when it is not one computed.</summary>
    private static string? ReadStat(JsonNode? node, string fallback, string field, Action<string, string> error) =>
        node is null ? fallback
        : TextOf(node) is { } given && Stats.Contains(given, StringComparer.Ordinal) ? given
        : Fail<string>(error, field, $"must be one of {string.Join(", ", Stats)}");

    private static int? ReadPeriod(JsonObject properties, string field, Action<string, string> error)
    {
        if (properties["period"] is not { } p)
        {
            return DefaultPeriod;
        }
        return Integer(p) is { } period and >= 60 && period % 60 == 0
            ? period
            : Fail<int?>(error, $"{field}.period", "must be a multiple of 60 seconds");
    }

    private static T? Fail<T>(Action<string, string> error, string field, string reason)
    {
        error(field, reason);
        return default;
    }

    private static string? TextOf(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static int? Integer(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;
}
