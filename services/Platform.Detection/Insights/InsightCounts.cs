namespace Platform.Detection.Insights;

/// <summary>
/// What one batch adds to the Insights' minutes, counted before anything is written (pure, on the hot path): per key
/// (account, region, event source, event name) and minute of event time, the calls the call rate counts, the errors,
/// and their principals, user agents and error codes. CloudTrail management events only; Insights events are not
/// counted again.
/// </summary>
public sealed class InsightCounts
{
    public Dictionary<InsightKey, Dictionary<DateTimeOffset, MinuteCounts>> ByKey { get; } = [];

    public bool IsEmpty => ByKey.Count == 0;

    public static InsightCounts Of(IReadOnlyList<NormalizedLogEvent> events, InsightsOptions options)
    {
        var counts = new InsightCounts();
        if (!options.Enabled)
        {
            return counts;
        }

        foreach (var logEvent in events)
        {
            if (logEvent.SourceType != LogSourceTypes.CloudTrail || logEvent.EventSource is not { } source || logEvent.EventName is not { } name)
            {
                continue;
            }

            var document = logEvent.Document.Root;
            if (document.ValueKind != JsonValueKind.Object || !IsManagementCall(document))
            {
                continue;
            }

            // Every management call is the key's history (the error rate's baseline counts minutes without errors too).
            var counted = options.CountReadOnlyCalls || !IsReadOnly(document);
            var failed = logEvent.ErrorCode is not null;
            var key = new InsightKey(logEvent.Account, logEvent.Region, source, name);
            if (!counts.ByKey.TryGetValue(key, out var minutes))
            {
                minutes = [];
                counts.ByKey[key] = minutes;
            }

            var minute = MinuteOf(logEvent.EventTime);
            if (!minutes.TryGetValue(minute, out var minuteCounts))
            {
                minuteCounts = new MinuteCounts();
                minutes[minute] = minuteCounts;
            }

            var userAgent = document.TryGetProperty("userAgent"u8, out var agent) && agent.ValueKind == JsonValueKind.String ? agent.GetString() : null;
            if (counted)
            {
                minuteCounts.Calls++;
                minuteCounts.Attributions.Add(InsightType.ApiCallRate, logEvent.Principal, userAgent, logEvent.ErrorCode);
            }

            if (failed)
            {
                minuteCounts.Errors++;
                minuteCounts.Attributions.Add(InsightType.ApiErrorRate, logEvent.Principal, userAgent, logEvent.ErrorCode);
            }
        }

        return counts;
    }

    /// <summary>Several batches' counts as one (a group commit's).</summary>
    public static InsightCounts Merge(IEnumerable<InsightCounts> batches)
    {
        var merged = new InsightCounts();
        foreach (var batch in batches)
        {
            foreach (var (key, minutes) in batch.ByKey)
            {
                if (!merged.ByKey.TryGetValue(key, out var into))
                {
                    into = [];
                    merged.ByKey[key] = into;
                }

                foreach (var (minute, counts) in minutes)
                {
                    if (!into.TryGetValue(minute, out var sum))
                    {
                        sum = new MinuteCounts();
                        into[minute] = sum;
                    }

                    sum.Calls += counts.Calls;
                    sum.Errors += counts.Errors;
                    sum.Attributions.AddAll(counts.Attributions);
                }
            }
        }

        return merged;
    }

    /// <summary>The start of the minute <paramref name="time"/> falls in, in UTC.</summary>
    public static DateTimeOffset MinuteOf(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        return new DateTimeOffset(ticks - ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
    }

    // Insights analyse management events: a record that says it is something else (a data event, an Insights event) is left out.
    private static bool IsManagementCall(JsonElement document)
    {
        if (document.TryGetProperty("eventType"u8, out var type) && type.ValueEquals(CloudTrailInsightEvent.AwsCloudTrailInsight))
        {
            return false;
        }

        return !document.TryGetProperty("managementEvent"u8, out var management) || management.ValueKind != JsonValueKind.False;
    }

    private static bool IsReadOnly(JsonElement document) =>
        document.TryGetProperty("readOnly"u8, out var readOnly)
        && (readOnly.ValueKind == JsonValueKind.True || (readOnly.ValueKind == JsonValueKind.String && readOnly.ValueEquals("true"u8)));
}

/// <summary>What Insights are kept for: one API in one account and region.</summary>
public readonly record struct InsightKey(string? Account, string? Region, string EventSource, string EventName)
{
    /// <summary>The row key: the parts joined by a separator none of them contains.</summary>
    public override string ToString() => string.Join('\u001f', Account ?? "", Region ?? "", EventSource, EventName);
}

/// <summary>One key's counts in one minute of one batch.</summary>
public sealed class MinuteCounts
{
    public long Calls { get; set; }
    public long Errors { get; set; }
    public MinuteAttributions Attributions { get; } = new();
}
