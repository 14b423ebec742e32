namespace Platform.Contracts.Provisioning;

/// <summary>A CloudWatch Logs metric filter as <c>put_metric_filter</c> takes it (AWS's own field names).</summary>
/// <param name="LogGroupName">The log group whose events the filter evaluates.</param>
/// <param name="FilterName">The filter's name within its log group.</param>
/// <param name="FilterPattern">A CloudWatch Logs filter pattern; empty matches every event.</param>
/// <param name="MetricTransformations">Exactly one transformation, as AWS allows.</param>
public sealed record MetricFilterSpec(
    string LogGroupName,
    string FilterName,
    string FilterPattern,
    IReadOnlyList<MetricTransformationSpec> MetricTransformations);

/// <summary>How matching events become data points of a metric.</summary>
/// <param name="MetricName">The metric's name.</param>
/// <param name="MetricNamespace">The metric's namespace.</param>
/// <param name="MetricValue">A number (<c>"1"</c> counts matches), <c>$.field</c> (JSON) or <c>$field</c> (space-delimited).</param>
/// <param name="DefaultValue">Published for a minute in which the log group had events but none matched; never with dimensions.</param>
/// <param name="Dimensions">At most 3: dimension name to the field (<c>$.field</c> / <c>$field</c>) giving its value.</param>
/// <param name="Unit">A CloudWatch unit (<c>Count</c>, <c>Seconds</c>, ...); <c>None</c> when absent.</param>
public sealed record MetricTransformationSpec(
    string MetricName,
    string MetricNamespace,
    string MetricValue,
    double? DefaultValue = null,
    IReadOnlyDictionary<string, string>? Dimensions = null,
    string? Unit = null);
