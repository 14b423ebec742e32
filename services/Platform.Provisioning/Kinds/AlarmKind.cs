using Platform.Alarms;

namespace Platform.Provisioning.Kinds;

/// <summary>
/// <c>alarms</c>: CloudWatch metric alarms as <c>put_metric_alarm</c> takes them, read with the parser the alerting
/// service evaluates them with. A valid alarm on a metric that no metric filter publishes with exactly its dimensions
/// is accepted, as AWS accepts it, and the answer warns that it will sit in INSUFFICIENT_DATA.
/// </summary>
public sealed class AlarmKind() : ResourceKind<AlarmSpec>(ProvisioningKinds.Alarms, (n, s, v) => new AlarmProvisioned(n, s, v), (n, v) => new AlarmDeleted(n, v))
{
    /// <summary>The kind whose resources publish metrics (the metric filters' <c>put_metric_filter</c> specs).</summary>
    private const string MetricFiltersKind = "metric-filters";

    /// <summary>Namespaces the platform publishes itself (built-in metrics), which no filter has to.</summary>
    private const string BuiltInNamespacePrefix = "AWS/";

    /// <summary>An alarm's name is its AWS name (1 to 255 characters); in a URL, escape what a path segment cannot hold.</summary>
    public override string? ValidateName(string name) => MetricAlarm.ValidateName(name);

    protected override AlarmSpec Validate(AlarmSpec spec, string field, ValidationErrors errors) =>
        MetricAlarm.Read(spec, name: null, (name, reason) => errors.Add(ValidationErrors.Field(field, name), reason)).Spec;

    public override void ValidateNamed(string name, object spec, string field, ValidationErrors errors) =>
        MetricAlarm.CheckName(name, (AlarmSpec)spec, (name, reason) => errors.Add(ValidationErrors.Field(field, name), reason));

    public override async Task<IReadOnlyList<string>> WarningsAsync(string name, object spec, ResourceStore store, CancellationToken cancellationToken)
    {
        var alarm = (AlarmSpec)spec;
        if (alarm.Namespace is not { } ns || alarm.MetricName is not { } metricName || ns.StartsWith(BuiltInNamespacePrefix, StringComparison.Ordinal))
        {
            return [];
        }
        var watched = (alarm.Dimensions ?? []).Select(d => d.Name!).ToHashSet(StringComparer.Ordinal);
        var publishers = (await store.ListAsync(MetricFiltersKind, cancellationToken))
            .SelectMany(row => MetricPublisher.Read(row.Name, row.Spec))
            .Where(p => p.Namespace == ns && p.MetricName == metricName)
            .ToList();
        if (publishers.Any(p => p.Dimensions.SetEquals(watched)))
        {
            return [];
        }

        var metric = $"{ns} {metricName}";
        if (publishers.Count == 0)
        {
            return [$"No metric filter publishes {metric}: alarm '{name}' sees no data and stays INSUFFICIENT_DATA until one does."];
        }
        var names = watched.Count == 0 ? "names no dimension" : $"names the dimensions {string.Join(", ", watched.Order(StringComparer.Ordinal))}";
        return publishers.Select(p =>
        {
            var published = p.Dimensions.Count == 0 ? "without dimensions" : $"only with the dimensions {string.Join(", ", p.Dimensions.Order(StringComparer.Ordinal))}";
            var example = p.Dimensions.Count == 0 ? "remove its Dimensions" : $"give Dimensions [{string.Join(", ", p.Dimensions.Order(StringComparer.Ordinal).Select(d => $"{{\"Name\": \"{d}\", \"Value\": \"...\"}}"))}]";
            return $"Alarm '{name}' {names}, but metric filter '{p.Filter}'{(p.LogGroup is null ? "" : $" (log group {p.LogGroup})")} publishes {metric} {published}. " +
                   $"A metric is identified by all its dimensions, so as written the alarm sees no data and stays INSUFFICIENT_DATA; to watch what the filter publishes, {example}.";
        }).ToList();
    }

    /// <summary>A metric one metric filter publishes: read from its stored spec by AWS's field names (put_metric_filter's).</summary>
    private sealed record MetricPublisher(string Filter, string? LogGroup, string Namespace, string MetricName, IReadOnlySet<string> Dimensions)
    {
        public static IEnumerable<MetricPublisher> Read(string resourceName, string specJson)
        {
            if (JsonNode.Parse(specJson) is not JsonObject spec || Property(spec, "metricTransformations") is not JsonArray transformations)
            {
                yield break;
            }
            var filter = Text(Property(spec, "filterName")) ?? resourceName;
            var logGroup = Text(Property(spec, "logGroupName"));
            foreach (var transformation in transformations.OfType<JsonObject>())
            {
                if (Text(Property(transformation, "metricNamespace")) is { } ns && Text(Property(transformation, "metricName")) is { } metricName)
                {
                    var dimensions = (Property(transformation, "dimensions") as JsonObject)?.Select(d => d.Key).ToHashSet(StringComparer.Ordinal) ?? [];
                    yield return new MetricPublisher(filter, logGroup, ns, metricName, dimensions);
                }
            }
        }

        /// <summary>A field by AWS's name, whatever casing the stored spec gave it.</summary>
        private static JsonNode? Property(JsonObject node, string name) =>
            node.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

        private static string? Text(JsonNode? node) =>
            node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
    }
}
