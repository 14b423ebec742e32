namespace Platform.Alarms;

/// <summary>
/// A metric alarm read from its <see cref="AlarmSpec"/> with CloudWatch's <c>PutMetricAlarm</c> rules: what the
/// provisioning service checks at the door and what the alerting service evaluates, read by the one parser here.
/// </summary>
public sealed record MetricAlarm(
    string Name,
    string Namespace,
    string MetricName,
    IReadOnlyDictionary<string, string> Dimensions,
    AlarmStatistic Statistic,
    TimeSpan Period,
    int EvaluationPeriods,
    int DatapointsToAlarm,
    double Threshold,
    ComparisonOperator ComparisonOperator,
    MissingDataTreatment TreatMissingData,
    bool ActionsEnabled,
    IReadOnlyList<string> AlarmActions,
    IReadOnlyList<string> OKActions,
    IReadOnlyList<string> InsufficientDataActions)
{
    /// <summary>CloudWatch's limits on a put_metric_alarm request.</summary>
    public const int MaxNameLength = 255;
    public const int MaxDescriptionLength = 1024;
    public const int MaxDimensions = 30;
    public const int MaxDimensionValueLength = 1024;
    public const int MaxActions = 5;
    public const int MaxActionLength = 1024;

    /// <summary>The longest evaluation CloudWatch allows: Period × EvaluationPeriods of at most seven days.</summary>
    public const int MaxEvaluationSeconds = 7 * 24 * 3600;

    /// <summary>The units CloudWatch knows.</summary>
    public static readonly IReadOnlySet<string> Units = new HashSet<string>(StringComparer.Ordinal)
    {
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits",
        "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second",
        "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second",
        "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
    };

    /// <summary>The comparison operators of anomaly detection alarms, which compare with a band the platform does not compute.</summary>
    public static readonly IReadOnlySet<string> AnomalyOperators = new HashSet<string>(StringComparer.Ordinal)
    {
        "LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold",
    };

    /// <summary>The actions of <paramref name="state"/>; none when actions are disabled.</summary>
    public IReadOnlyList<string> ActionsFor(AlarmState state) => !ActionsEnabled ? [] : state switch
    {
        AlarmState.Alarm => AlarmActions,
        AlarmState.Ok => OKActions,
        _ => InsufficientDataActions,
    };

    /// <summary>Whether <paramref name="value"/> is on the wrong side of the threshold.</summary>
    public bool Breaches(double value) => ComparisonOperator switch
    {
        ComparisonOperator.GreaterThanOrEqualToThreshold => value >= Threshold,
        ComparisonOperator.GreaterThanThreshold => value > Threshold,
        ComparisonOperator.LessThanThreshold => value < Threshold,
        _ => value <= Threshold,
    };

    /// <summary>The name rule of an alarm: 1 to 255 characters, no control characters. Null when valid.</summary>
    public static string? ValidateName(string name) =>
        name.Length is 0 or > MaxNameLength || name.Any(char.IsControl)
            ? $"must be 1 to {MaxNameLength} characters without control characters"
            : null;

    /// <summary>
    /// Checks the alarm's name, <paramref name="name"/> (its resource's name), and that the spec's <c>AlarmName</c>, when
    /// given, is the same.
    /// </summary>
    public static void CheckName(string name, AlarmSpec spec, Action<string, string> error)
    {
        if (ValidateName(name) is { } reason)
        {
            error("AlarmName", reason);
        }
        else if (spec.AlarmName is { } alarmName && alarmName != name)
        {
            error("AlarmName", $"'{alarmName}' differs from the resource's name '{name}': they name the same alarm");
        }
    }

    /// <summary>
    /// Reads <paramref name="spec"/>: every wrong field is reported to <paramref name="error"/> (the field as AWS names
    /// it, and why). <paramref name="name"/> is the alarm's name when known (the door checks it apart, with
    /// <see cref="CheckName"/>). Returns the normalised spec (defaults filled in, text trimmed) and the alarm, which is
    /// null when an error was reported or the name is not known.
    /// </summary>
    public static (AlarmSpec Spec, MetricAlarm? Alarm) Read(AlarmSpec spec, string? name, Action<string, string> error)
    {
        var failed = false;
        void Fail(string field, string reason)
        {
            failed = true;
            error(field, reason);
        }

        if (name is not null)
        {
            CheckName(name, spec, Fail);
        }
        else if (spec.AlarmName is { } alarmName && ValidateName(alarmName) is { } nameReason)
        {
            Fail("AlarmName", nameReason);
        }
        if (spec.AlarmDescription is { Length: > MaxDescriptionLength })
        {
            Fail("AlarmDescription", $"is {spec.AlarmDescription.Length} characters long: at most {MaxDescriptionLength}");
        }

        var metricName = Required(spec.MetricName, "MetricName", MaxNameLength, Fail);
        var ns = Required(spec.Namespace, "Namespace", MaxNameLength, Fail);
        if (ns is not null && ns.StartsWith(':'))
        {
            Fail("Namespace", "must not start with ':'");
        }

        var dimensions = ReadDimensions(spec.Dimensions, Fail);

        AlarmStatistic? statistic = null;
        if (spec.ExtendedStatistic is not null)
        {
            Fail("ExtendedStatistic", "percentile statistics are not supported: the platform keeps no distributions; use Statistic " +
                                      "(SampleCount, Average, Sum, Minimum or Maximum)");
        }
        else if (spec.Statistic is null)
        {
            Fail("Statistic", "is required: SampleCount, Average, Sum, Minimum or Maximum");
        }
        else if (TryName<AlarmStatistic>(spec.Statistic, out var parsed))
        {
            statistic = parsed;
        }
        else
        {
            Fail("Statistic", $"'{spec.Statistic}' is not a statistic: use SampleCount, Average, Sum, Minimum or Maximum");
        }

        if (spec.Period is not { } period)
        {
            Fail("Period", "is required: seconds per datapoint, a multiple of 60");
        }
        else if (period is 10 or 20 or 30)
        {
            Fail("Period", $"{period} s is a high-resolution period: metrics are kept at 1-minute resolution, so use a multiple of 60");
        }
        else if (period < 60 || period % 60 != 0)
        {
            Fail("Period", $"{period} is not a multiple of 60 seconds");
        }

        if (spec.EvaluationPeriods is not { } evaluationPeriods)
        {
            Fail("EvaluationPeriods", "is required: how many recent periods are evaluated (at least 1)");
        }
        else if (evaluationPeriods < 1)
        {
            Fail("EvaluationPeriods", "must be at least 1");
        }
        else if (spec.Period is { } p && p >= 60 && (long)p * evaluationPeriods > MaxEvaluationSeconds)
        {
            Fail("EvaluationPeriods", $"Period × EvaluationPeriods is {(long)p * evaluationPeriods} s: at most {MaxEvaluationSeconds} s (seven days)");
        }

        var datapointsToAlarm = spec.DatapointsToAlarm ?? spec.EvaluationPeriods;
        if (spec.DatapointsToAlarm is { } m && (m < 1 || (spec.EvaluationPeriods is { } n && m > n)))
        {
            Fail("DatapointsToAlarm", $"must be from 1 to EvaluationPeriods ({spec.EvaluationPeriods})");
        }

        if (spec.Threshold is not { } threshold)
        {
            Fail("Threshold", "is required");
        }
        else if (!double.IsFinite(threshold))
        {
            Fail("Threshold", "must be a finite number");
        }

        ComparisonOperator? comparison = null;
        if (spec.ComparisonOperator is null)
        {
            Fail("ComparisonOperator", $"is required: one of {string.Join(", ", Enum.GetNames<ComparisonOperator>())}");
        }
        else if (AnomalyOperators.Contains(spec.ComparisonOperator))
        {
            Fail("ComparisonOperator", $"{spec.ComparisonOperator} belongs to anomaly detection alarms, which are not supported: " +
                                       $"use one of {string.Join(", ", Enum.GetNames<ComparisonOperator>())}");
        }
        else if (TryName<ComparisonOperator>(spec.ComparisonOperator, out var parsedOperator))
        {
            comparison = parsedOperator;
        }
        else
        {
            Fail("ComparisonOperator", $"'{spec.ComparisonOperator}' is not a comparison operator: use one of {string.Join(", ", Enum.GetNames<ComparisonOperator>())}");
        }

        var treatMissingData = spec.TreatMissingData ?? "missing";
        if (!AlarmStates.MissingDataTreatments.TryGetValue(treatMissingData, out var treatment))
        {
            Fail("TreatMissingData", $"'{treatMissingData}' is not a treatment: use missing, ignore, breaching or notBreaching");
        }

        var alarmActions = ReadActions(spec.AlarmActions, "AlarmActions", Fail);
        var okActions = ReadActions(spec.OKActions, "OKActions", Fail);
        var insufficientDataActions = ReadActions(spec.InsufficientDataActions, "InsufficientDataActions", Fail);

        if (spec.Unit is { } unit && !Units.Contains(unit))
        {
            Fail("Unit", $"'{unit}' is not a CloudWatch unit: use one of {string.Join(", ", Units)}");
        }

        var normalised = spec with
        {
            AlarmName = name ?? spec.AlarmName,
            AlarmDescription = string.IsNullOrWhiteSpace(spec.AlarmDescription) ? null : spec.AlarmDescription.Trim(),
            MetricName = metricName,
            Namespace = ns,
            Dimensions = dimensions.Count == 0 ? null : dimensions.Select(d => new AlarmDimension(d.Key, d.Value)).ToList(),
            DatapointsToAlarm = datapointsToAlarm,
            TreatMissingData = treatMissingData,
            AlarmActions = alarmActions,
            OKActions = okActions,
            InsufficientDataActions = insufficientDataActions,
            ActionsEnabled = spec.ActionsEnabled ?? true,
        };
        if (failed || name is null)
        {
            return (normalised, null);
        }

        return (normalised, new MetricAlarm(
            name, ns!, metricName!, dimensions, statistic!.Value, TimeSpan.FromSeconds(spec.Period!.Value), spec.EvaluationPeriods!.Value,
            datapointsToAlarm!.Value, spec.Threshold!.Value, comparison!.Value, treatment, normalised.ActionsEnabled!.Value,
            alarmActions, okActions, insufficientDataActions));
    }

    /// <summary>Reads a stored (already validated) spec; throws when it is not a valid alarm.</summary>
    public static MetricAlarm FromValidSpec(string name, AlarmSpec spec)
    {
        var errors = new List<string>();
        return Read(spec, name, (field, reason) => errors.Add($"{field}: {reason}")).Alarm
            ?? throw new ArgumentException($"Alarm '{name}' is invalid: {string.Join("; ", errors)}", nameof(spec));
    }

    /// <summary>An enum member by its exact name (AWS's values are case-sensitive; numbers are not names).</summary>
    private static bool TryName<TEnum>(string text, out TEnum value) where TEnum : struct, Enum
    {
        value = default;
        return Enum.GetNames<TEnum>().Contains(text, StringComparer.Ordinal) && Enum.TryParse(text, out value);
    }

    private static string? Required(string? text, string field, int maxLength, Action<string, string> fail)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            fail(field, "is required");
            return null;
        }
        if (value.Length > maxLength)
        {
            fail(field, $"is {value.Length} characters long: at most {maxLength}");
        }
        return value;
    }

    private static SortedDictionary<string, string> ReadDimensions(IReadOnlyList<AlarmDimension>? given, Action<string, string> fail)
    {
        var dimensions = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (given is null)
        {
            return dimensions;
        }
        if (given.Count > MaxDimensions)
        {
            fail("Dimensions", $"holds {given.Count} dimensions: at most {MaxDimensions}");
        }
        for (var i = 0; i < given.Count; i++)
        {
            var field = $"Dimensions[{i}]";
            var name = given[i]?.Name?.Trim();
            var value = given[i]?.Value;
            if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
            {
                fail($"{field}.Name", $"is required: 1 to {MaxNameLength} characters");
            }
            else if (string.IsNullOrEmpty(value) || value.Length > MaxDimensionValueLength)
            {
                fail($"{field}.Value", $"is required: 1 to {MaxDimensionValueLength} characters");
            }
            else if (!dimensions.TryAdd(name, value))
            {
                fail($"{field}.Name", $"dimension '{name}' is given twice");
            }
        }
        return dimensions;
    }

    private static IReadOnlyList<string> ReadActions(IReadOnlyList<string>? given, string field, Action<string, string> fail)
    {
        if (given is null)
        {
            return [];
        }
        if (given.Count > MaxActions)
        {
            fail(field, $"holds {given.Count} actions: at most {MaxActions}");
        }
        for (var i = 0; i < given.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(given[i]) || given[i].Length > MaxActionLength)
            {
                fail($"{field}[{i}]", $"must be a topic or function, by ARN or name, of 1 to {MaxActionLength} characters");
            }
        }
        return given.Select(a => a?.Trim() ?? "").ToList();
    }
}
