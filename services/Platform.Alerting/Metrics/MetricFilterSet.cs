using System.Collections.Frozen;
using System.Collections.Immutable;
using Platform.FilterPatterns;

namespace Platform.Alerting.Metrics;

/// <summary>A provisioned metric filter compiled for evaluation.</summary>
/// <param name="Name">The resource's name.</param>
/// <param name="LogGroupName">The log group whose events it evaluates.</param>
/// <param name="Extraction">The pattern, metric value and dimensions, compiled.</param>
/// <param name="Namespace">The metric's namespace.</param>
/// <param name="MetricName">The metric's name.</param>
/// <param name="DefaultValue">
/// What a minute with events of the log group but no match publishes; null when none is, which includes every filter
/// with dimensions (AWS: a metric with dimensions has no default value).
/// </param>
public sealed record CompiledMetricFilter(
    string Name, string LogGroupName, MetricExtraction Extraction, string Namespace, string MetricName, double? DefaultValue);

/// <summary>
/// The metric filters this instance evaluates, by log group, as provisioning changes them: the catch-up snapshot at
/// start and the live events after it, each applied only when newer than what the instance has.
/// </summary>
public sealed partial class MetricFilterSet(ProvisionedResourceVersions versions, ILogger<MetricFilterSet> logger)
    : LiveResources<MetricFilterSpec, CompiledMetricFilter>(ProvisioningKinds.MetricFilters, versions)
{
    private FrozenDictionary<string, CompiledMetricFilter[]> _byLogGroup = FrozenDictionary<string, CompiledMetricFilter[]>.Empty;

    /// <summary>The filters of <paramref name="logGroup"/>; empty when it has none.</summary>
    public IReadOnlyList<CompiledMetricFilter> For(string logGroup) => _byLogGroup.GetValueOrDefault(logGroup) ?? [];

    protected override CompiledMetricFilter? Compile(string name, MetricFilterSpec spec, long version)
    {
        // Provisioning validated the spec with the same compilation; one it let through that this version refuses is left out, loudly.
        if (spec.MetricTransformations is not [var transformation])
        {
            LogFilterRejected(name, "a metric filter has exactly one metric transformation");
            return null;
        }
        var extraction = MetricExtraction.TryCreate(spec.FilterPattern, transformation.MetricValue, transformation.Dimensions, out var errors);
        if (extraction is null)
        {
            LogFilterRejected(name, string.Join("; ", errors.Select(e => $"{e.Field}: {e.Error}")));
            return null;
        }
        var hasDimensions = transformation.Dimensions is { Count: > 0 };
        return new CompiledMetricFilter(
            name, spec.LogGroupName, extraction, transformation.MetricNamespace, transformation.MetricName,
            hasDimensions ? null : transformation.DefaultValue);
    }

    protected override void OnChanged(ImmutableSortedDictionary<string, CompiledMetricFilter> current) =>
        _byLogGroup = current.Values
            .GroupBy(f => f.LogGroupName, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    [LoggerMessage(LogLevel.Error, "Metric filter {Name} was not applied: {Reason}")]
    private partial void LogFilterRejected(string name, string reason);
}
