namespace Platform.Console.Api;

// The parts of the services' answers the pages show. The services are the source of every field; these records name
// only what is read, and read case-insensitively (the platform's JSON), so AWS-cased answers fit them too.

/// <summary>A finding as detection answers it.</summary>
public sealed record Finding(
    Guid Id, string RuleId, string Title, string? Description, FindingSeverity Severity, FindingStatus Status, string? StatusReason,
    DateTimeOffset? SuppressedUntil, long Occurrences, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, string? Account,
    string? Region, string? Principal, IReadOnlyList<string> SourceIps, IReadOnlyList<string> Resources,
    IReadOnlyList<string> Techniques, IReadOnlyList<string> Tactics, IReadOnlyList<FindingEvidence> Evidence, long Version);

/// <summary>One change in a finding's life.</summary>
public sealed record FindingChange(long Version, string Type, DateTimeOffset At, string? Actor, JsonElement Data);

/// <summary>A detection rule with its matches in the last 24 hours, and whether its findings are alerts or signals.</summary>
public sealed record DetectionRule(
    string Id, string Title, FindingSeverity Severity, string Origin, bool Enabled, bool Correlation, IReadOnlyList<string> Techniques,
    string Source, long MatchesLast24h, FindingDisposition Disposition);

/// <summary>A rule that failed to load, and why.</summary>
public sealed record RuleLoadError(string Origin, string Source, string? RuleId, string? RuleTitle, int Line, int Column, string Reason);

/// <summary>The loaded rules and the ones that failed to load.</summary>
public sealed record DetectionRules(IReadOnlyList<DetectionRule> Items, IReadOnlyList<RuleLoadError> Errors);

/// <summary>An alarm's state.</summary>
public sealed record AlarmState(string AlarmName, string StateValue, string StateReason, DateTimeOffset StateUpdatedTimestamp, JsonElement Spec);

/// <summary>One entry of an alarm's history.</summary>
public sealed record AlarmHistoryItem(DateTimeOffset Timestamp, string HistoryItemType, string HistorySummary);

/// <summary>A delivery of an alert to a target.</summary>
public sealed record Delivery(
    Guid Id, string Target, string Subscriber, string Protocol, string Endpoint, string Subject, string Status, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? LastError);

/// <summary>A config rule's compliance counts.</summary>
public sealed record ComplianceCounts(
    string ComplianceType, int CompliantResourceCount, int NonCompliantResourceCount, int NotApplicableResourceCount, int InsufficientDataResourceCount);

/// <summary>One rule's compliance.</summary>
public sealed record RuleComplianceSummary(string ConfigRuleName, string ComplianceType, ComplianceCounts Counts);

/// <summary>Compliance by rule.</summary>
public sealed record ComplianceSummary(int CompliantRuleCount, int NonCompliantRuleCount, IReadOnlyList<RuleComplianceSummary> ConfigRules);

/// <summary>One entry of a resource's compliance timeline.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Type, string Summary, JsonElement Detail);

/// <summary>A provisioned resource.</summary>
public sealed record Resource<TSpec>(string Kind, string Name, long Version, TSpec Spec, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>A stored log event with its original record.</summary>
public sealed record StoredEvent(
    string EventId, DateTimeOffset EventTime, string SourceType, string? LogGroup, string? EventName, string? Principal, string? SourceIp,
    string? ErrorCode, string? Record);

/// <summary>GetMetricData's answer for one metric.</summary>
public sealed record MetricDataResult(string Id, string Label, IReadOnlyList<DateTimeOffset> Timestamps, IReadOnlyList<double> Values);

/// <summary>GetMetricData's answer.</summary>
public sealed record MetricData(IReadOnlyList<MetricDataResult> MetricDataResults);

/// <summary>A query's rows as a table: the columns in order, each row a value (or null) per column.</summary>
public sealed record QueryTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows)
{
    /// <summary>Rows of (column, value) pairs, columns in order of first appearance.</summary>
    public static QueryTable From(IEnumerable<IEnumerable<KeyValuePair<string, string?>>> rows)
    {
        var columns = new List<string>();
        var read = new List<Dictionary<string, string?>>();
        foreach (var row in rows)
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (column, value) in row)
            {
                if (!columns.Contains(column))
                {
                    columns.Add(column);
                }
                values[column] = value;
            }
            read.Add(values);
        }
        return new QueryTable(columns, read.ConvertAll(r => (IReadOnlyList<string?>)columns.ConvertAll(c => r.GetValueOrDefault(c))));
    }
}
