namespace Platform.Contracts.Provisioning;

/// <summary>
/// A CloudWatch metric alarm as <c>put_metric_alarm</c> takes it, AWS's field names and casing kept, so a boto3 call
/// written as JSON provisions it unchanged. Provisioning normalises it: <see cref="DatapointsToAlarm"/> defaults to
/// <see cref="EvaluationPeriods"/>, <see cref="TreatMissingData"/> to <c>missing</c>, <see cref="ActionsEnabled"/> to true.
/// </summary>
/// <param name="AlarmName">The alarm's name; the resource's name when absent.</param>
/// <param name="AlarmDescription">Free text.</param>
/// <param name="MetricName">The watched metric's name.</param>
/// <param name="Namespace">The watched metric's namespace.</param>
/// <param name="Dimensions">The watched metric's dimensions; a metric is identified by all of them, none when absent.</param>
/// <param name="Statistic"><c>SampleCount</c>, <c>Average</c>, <c>Sum</c>, <c>Minimum</c> or <c>Maximum</c>.</param>
/// <param name="ExtendedStatistic">A percentile; refused (the platform keeps no distributions).</param>
/// <param name="Period">Seconds per datapoint: a multiple of 60.</param>
/// <param name="EvaluationPeriods">N: how many of the most recent periods are evaluated.</param>
/// <param name="DatapointsToAlarm">M: how many of those N must breach for ALARM.</param>
/// <param name="Threshold">The value compared with each datapoint.</param>
/// <param name="ComparisonOperator"><c>GreaterThanOrEqualToThreshold</c>, <c>GreaterThanThreshold</c>, <c>LessThanThreshold</c> or <c>LessThanOrEqualToThreshold</c>.</param>
/// <param name="TreatMissingData"><c>missing</c>, <c>ignore</c>, <c>breaching</c> or <c>notBreaching</c>.</param>
/// <param name="AlarmActions">Topics or functions (ARN or name) told when it enters ALARM.</param>
/// <param name="OKActions">Told when it enters OK.</param>
/// <param name="InsufficientDataActions">Told when it enters INSUFFICIENT_DATA.</param>
/// <param name="ActionsEnabled">False records transitions without running actions.</param>
/// <param name="Unit">The metric's unit, recorded.</param>
public sealed record AlarmSpec(
    [property: JsonPropertyName("AlarmName")] string? AlarmName,
    [property: JsonPropertyName("AlarmDescription")] string? AlarmDescription,
    [property: JsonPropertyName("MetricName")] string? MetricName,
    [property: JsonPropertyName("Namespace")] string? Namespace,
    [property: JsonPropertyName("Dimensions")] IReadOnlyList<AlarmDimension>? Dimensions,
    [property: JsonPropertyName("Statistic")] string? Statistic,
    [property: JsonPropertyName("ExtendedStatistic")] string? ExtendedStatistic,
    [property: JsonPropertyName("Period")] int? Period,
    [property: JsonPropertyName("EvaluationPeriods")] int? EvaluationPeriods,
    [property: JsonPropertyName("DatapointsToAlarm")] int? DatapointsToAlarm,
    [property: JsonPropertyName("Threshold")] double? Threshold,
    [property: JsonPropertyName("ComparisonOperator")] string? ComparisonOperator,
    [property: JsonPropertyName("TreatMissingData")] string? TreatMissingData,
    [property: JsonPropertyName("AlarmActions")] IReadOnlyList<string>? AlarmActions,
    [property: JsonPropertyName("OKActions")] IReadOnlyList<string>? OKActions,
    [property: JsonPropertyName("InsufficientDataActions")] IReadOnlyList<string>? InsufficientDataActions,
    [property: JsonPropertyName("ActionsEnabled")] bool? ActionsEnabled,
    [property: JsonPropertyName("Unit")] string? Unit);

/// <summary>One dimension of the watched metric, as CloudWatch writes it.</summary>
public sealed record AlarmDimension(
    [property: JsonPropertyName("Name")] string? Name,
    [property: JsonPropertyName("Value")] string? Value);
