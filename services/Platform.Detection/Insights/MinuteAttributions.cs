namespace Platform.Detection.Insights;

/// <summary>
/// Who made a key's calls (or errors): counts per Insights type, attribute (<c>userIdentityArn</c>, <c>userAgent</c>,
/// <c>errorCode</c>) and value, bounded per attribute so a minute's row stays small. Summed over minutes, the top
/// values are an Insight's <c>attributions</c>.
/// </summary>
public sealed class MinuteAttributions
{
    public const string UserIdentityArn = "userIdentityArn";
    public const string UserAgent = "userAgent";
    public const string ErrorCode = "errorCode";

    /// <summary>Distinct values kept per attribute and minute; later ones are not attributed.</summary>
    public const int MaxValuesPerAttribute = 20;

    /// <summary>Values listed per attribute in an Insight.</summary>
    public const int TopValues = 5;

    private static readonly string[] s_attributes = [UserIdentityArn, UserAgent, ErrorCode];

    /// <summary>Insights type → attribute → value → count.</summary>
    public Dictionary<InsightType, Dictionary<string, Dictionary<string, long>>> Counts { get; init; } = [];

    /// <summary>One call: AWS writes <c>null</c> for a missing value (a call without an error code).</summary>
    public void Add(InsightType type, string? principal, string? userAgent, string? errorCode)
    {
        Add(type, UserIdentityArn, principal ?? "null", 1);
        Add(type, UserAgent, userAgent ?? "null", 1);
        Add(type, ErrorCode, errorCode ?? "null", 1);
    }

    public void AddAll(MinuteAttributions other, InsightType? only = null)
    {
        foreach (var (type, attributes) in other.Counts)
        {
            if (only is { } wanted && wanted != type)
            {
                continue;
            }

            foreach (var (attribute, values) in attributes)
            {
                foreach (var (value, count) in values)
                {
                    Add(type, attribute, value, count);
                }
            }
        }
    }

    /// <summary>The top values of each attribute of <paramref name="type"/>, as averages over <paramref name="minutes"/>.</summary>
    public Dictionary<string, List<CloudTrailInsightAttributeValue>> Top(InsightType type, long minutes) =>
        s_attributes.ToDictionary(a => a, a =>
            Counts.GetValueOrDefault(type)?.GetValueOrDefault(a) is { } values
                ? values.OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal).Take(TopValues)
                    .Select(v => new CloudTrailInsightAttributeValue(v.Key, Math.Round((double)v.Value / Math.Max(1, minutes), 4))).ToList()
                : []);

    /// <summary>The attributions of an Insight event: each attribute's top values during the Insight and over the baseline.</summary>
    public static List<CloudTrailInsightAttribution> Attributions(
        Dictionary<string, List<CloudTrailInsightAttributeValue>> insight, Dictionary<string, List<CloudTrailInsightAttributeValue>> baseline) =>
        [.. s_attributes.Select(a => new CloudTrailInsightAttribution(a, insight.GetValueOrDefault(a) ?? [], baseline.GetValueOrDefault(a) ?? []))];

    public string ToJson() => JsonSerializer.Serialize(Counts, PlatformJson.Options);

    public static MinuteAttributions FromJson(string json) =>
        new() { Counts = JsonSerializer.Deserialize<Dictionary<InsightType, Dictionary<string, Dictionary<string, long>>>>(json, PlatformJson.Options) ?? [] };

    private void Add(InsightType type, string attribute, string value, long count)
    {
        if (!Counts.TryGetValue(type, out var attributes))
        {
            attributes = [];
            Counts[type] = attributes;
        }

        if (!attributes.TryGetValue(attribute, out var values))
        {
            values = new Dictionary<string, long>(StringComparer.Ordinal);
            attributes[attribute] = values;
        }

        if (values.TryGetValue(value, out var current))
        {
            values[value] = current + count;
        }
        else if (values.Count < MaxValuesPerAttribute)
        {
            values[value] = count;
        }
    }
}

/// <summary>An Insight in progress on one key, kept in its row (<c>open_insights</c>) until a minute is back to normal.</summary>
public sealed class OpenInsight
{
    public Guid SharedEventId { get; set; }
    public DateTimeOffset Start { get; set; }
    public double BaselineAverage { get; set; }
    public long BaselineDuration { get; set; }
    public Dictionary<string, List<CloudTrailInsightAttributeValue>> BaselineTop { get; set; } = [];

    /// <summary>Calls (errors) and minutes so far, and who made them.</summary>
    public long Total { get; set; }
    public long Minutes { get; set; }
    public MinuteAttributions Attributions { get; set; } = new();
}
