using Platform.FilterPatterns;

namespace Platform.Provisioning.Kinds;

/// <summary>
/// <c>metric-filters</c>: CloudWatch Logs metric filters as <c>put_metric_filter</c> takes them, the pattern, metric value
/// and dimensions compiled with the filter pattern library alerting runs, so a filter alerting would refuse never reaches it.
/// </summary>
public sealed class MetricFilterKind() : ResourceKind<MetricFilterSpec>(ProvisioningKinds.MetricFilters, (n, s, v) => new MetricFilterProvisioned(n, s, v), (n, v) => new MetricFilterDeleted(n, v))
{
    /// <summary>CloudWatch's limit on a metric's dimensions from one metric filter.</summary>
    public const int MaxDimensions = 3;

    /// <summary>The units CloudWatch accepts (<c>StandardUnit</c>).</summary>
    public static readonly IReadOnlySet<string> Units = new HashSet<string>(StringComparer.Ordinal)
    {
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits",
        "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second",
        "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second",
        "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
    };

    protected override MetricFilterSpec Validate(MetricFilterSpec spec, string field, ValidationErrors errors)
    {
        var logGroupField = ValidationErrors.Field(field, "logGroupName");
        if (string.IsNullOrEmpty(spec.LogGroupName))
        {
            errors.Add(logGroupField, "is required: the log group whose events the filter evaluates");
        }
        else if (LogGroupKind.ValidateLogGroupName(spec.LogGroupName) is { } logGroupReason)
        {
            errors.Add(logGroupField, logGroupReason);
        }

        var filterNameField = ValidationErrors.Field(field, "filterName");
        if (string.IsNullOrEmpty(spec.FilterName))
        {
            errors.Add(filterNameField, "is required");
        }
        else if (spec.FilterName.Length > 512 || spec.FilterName.AsSpan().IndexOfAny(':', '*') >= 0)
        {
            errors.Add(filterNameField, "must be 1 to 512 characters without ':' or '*'");
        }

        if (spec.FilterPattern is null)
        {
            errors.Add(ValidationErrors.Field(field, "filterPattern"), "is required (an empty pattern matches every event)");
        }
        var transformations = spec.MetricTransformations ?? [];
        var transformationsField = ValidationErrors.Field(field, "metricTransformations");
        if (transformations.Count != 1)
        {
            errors.Add(transformationsField, $"holds {transformations.Count} transformations: a metric filter has exactly one");
        }
        else if (spec.FilterPattern is not null)
        {
            ValidateTransformation(spec.FilterPattern, transformations[0], field, $"{transformationsField}[0]", errors);
        }
        return spec;
    }

    private static void ValidateTransformation(string pattern, MetricTransformationSpec transformation, string field, string prefix, ValidationErrors errors)
    {
        ValidateMetricName(transformation.MetricName, ValidationErrors.Field(prefix, "metricName"), errors);
        ValidateMetricName(transformation.MetricNamespace, ValidationErrors.Field(prefix, "metricNamespace"), errors);
        if (transformation.MetricNamespace?.StartsWith("AWS/", StringComparison.Ordinal) == true)
        {
            errors.Add(ValidationErrors.Field(prefix, "metricNamespace"), "namespaces starting with 'AWS/' are reserved for AWS's own metrics");
        }
        var valueField = ValidationErrors.Field(prefix, "metricValue");
        if (string.IsNullOrWhiteSpace(transformation.MetricValue))
        {
            errors.Add(valueField, "is required: a number (\"1\" counts matches), $.field or $field");
        }
        else if (transformation.MetricValue.Length > 100)
        {
            errors.Add(valueField, "is longer than 100 characters");
        }

        var dimensions = transformation.Dimensions ?? new Dictionary<string, string>();
        if (dimensions.Count > MaxDimensions)
        {
            errors.Add(ValidationErrors.Field(prefix, "dimensions"), $"holds {dimensions.Count} dimensions: at most {MaxDimensions}");
        }
        foreach (var name in dimensions.Keys)
        {
            if (name.Length is 0 or > 255 || name.StartsWith(':') || string.IsNullOrWhiteSpace(name) || !name.All(char.IsAscii))
            {
                errors.Add(ValidationErrors.Field(prefix, $"dimensions.{name}"),
                    "a dimension name is 1 to 255 ASCII characters, not all spaces, not starting with ':'");
            }
        }
        if (transformation.Unit is { } unit && !Units.Contains(unit))
        {
            errors.Add(ValidationErrors.Field(prefix, "unit"), $"'{unit}' is not a CloudWatch unit: use one of {string.Join(", ", Units)}");
        }

        if (string.IsNullOrWhiteSpace(transformation.MetricValue))
        {
            return;
        }
        // The same compilation alerting runs: the pattern, then the value and dimensions against it.
        MetricExtraction.TryCreate(pattern, transformation.MetricValue, dimensions, out var refused);
        foreach (var error in refused)
        {
            errors.Add(error.Field == "filterPattern" ? ValidationErrors.Field(field, "filterPattern") : ValidationErrors.Field(prefix, error.Field),
                error.Error.ToString());
        }
    }

    private static void ValidateMetricName(string? name, string field, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(field, "is required");
        }
        else if (name.Length > 255 || name.AsSpan().IndexOfAny(":*$") >= 0)
        {
            errors.Add(field, "must be 1 to 255 characters without ':', '*' or '$'");
        }
    }
}
