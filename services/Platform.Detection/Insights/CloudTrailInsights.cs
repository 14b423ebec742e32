using Platform.Detection.Evaluation;

namespace Platform.Detection.Insights;

/// <summary>
/// CloudTrail Insights over the ingested stream, by event time: each key's (account, region, event source, event
/// name) calls and errors per minute go into <c>insight_minutes</c>; once the key has events a little past a minute
/// (<see cref="InsightsOptions.Lateness"/>), the minute is judged against the key's baseline, the average per minute
/// over up to <see cref="InsightsOptions.BaselineWindow"/> before it (from <see cref="InsightsOptions.MinimumHistory"/>
/// of history on). The first unusual minute starts an Insight, the first normal one after it ends it: each is an
/// Insights event in CloudTrail's shape, appended to the Insight's own stream (published by the outbox) and raised as
/// a finding. Everything is staged in the batch's transaction, after its inbox row: a redelivered batch counts nothing.
/// A key's state is read, judged and written by one batch at a time (its row lock); the consumer stages Insights at the
/// end of the batch, just before it locks the batch's findings, so concurrent batches of the same APIs wait on a key for
/// the few round trips before their commit, not for their whole evaluation.
/// </summary>
public sealed partial class CloudTrailInsights(DetectionDbContext db, EventStore store, InsightsOptions options, ILogger<CloudTrailInsights> logger)
{
    public const string StreamPrefix = "cloudtrail-insight/";

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Adds the batch's counts to the keys' minutes, judges the minutes that closed, and adds the Insights that started
    /// or ended to <paramref name="batch"/> as findings. Key rows are locked in key order, new keys included
    /// (<see cref="CreationLocks"/>: of two batches adding the same key, the later waits and reads it), before the
    /// rows of the Insights' findings.
    /// </summary>
    public async Task StageAsync(InsightCounts counts, BatchMatches batch, CancellationToken cancellationToken)
    {
        if (counts.IsEmpty)
        {
            return;
        }

        var byRowKey = counts.ByKey.ToDictionary(p => p.Key.ToString(), p => p, StringComparer.Ordinal);
        string[] keys = [.. byRowKey.Keys.Order(StringComparer.Ordinal)];
        var locked = await CreationLocks.LockRowsAsync(
            "insight-key", keys, (k, names) => db.Set<InsightKeyRecord>().FromSql($"SELECT * FROM lock_insight_keys({k}, {names})"), cancellationToken);
        var rows = locked.ToDictionary(r => r.Key, StringComparer.Ordinal);
        await AddNewKeysAsync(byRowKey, keys, rows, cancellationToken);

        var window = options.BaselineWindow;
        var plans = new List<KeyPlan>();
        foreach (var (rowKey, row) in rows.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            // Minutes already out of the baseline window are history nothing will read: not counted.
            var minutes = byRowKey[rowKey].Value.Where(m => m.Key >= row.ClosedThrough - window).ToDictionary();
            if (minutes.Count == 0)
            {
                continue;
            }

            var earliest = minutes.Keys.Min();
            var latest = minutes.Keys.Max();
            row.FirstMinute = earliest < row.FirstMinute ? earliest : row.FirstMinute;
            row.LatestMinute = latest > row.LatestMinute ? latest : row.LatestMinute;
            var closeUpTo = row.LatestMinute - options.Lateness;
            closeUpTo = closeUpTo > row.ClosedThrough ? closeUpTo : row.ClosedThrough;
            plans.Add(new KeyPlan(row, minutes, closeUpTo, earliest < row.ClosedThrough ? earliest : row.ClosedThrough, latest + Minute > closeUpTo ? latest + Minute : closeUpTo));
        }

        if (plans.Count == 0)
        {
            return;
        }

        var stored = await LoadMinutesAsync(plans, cancellationToken);
        foreach (var plan in plans)
        {
            var minuteRows = stored.GetValueOrDefault(plan.Row.Key) ?? [];
            Merge(plan, minuteRows);
            await JudgeAsync(plan, minuteRows, batch, cancellationToken);
        }
    }

    // Keys seen for the first time start their history at the batch's earliest minute, within the cap on keys.
    private async Task AddNewKeysAsync(
        Dictionary<string, KeyValuePair<InsightKey, Dictionary<DateTimeOffset, MinuteCounts>>> byRowKey,
        string[] keys,
        Dictionary<string, InsightKeyRecord> rows,
        CancellationToken cancellationToken)
    {
        var missing = byRowKey.Keys.Where(k => !rows.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var room = options.MaxKeys - await db.Set<InsightKeyRecord>().CountAsync(cancellationToken);
        if (room < missing.Count)
        {
            // Keys idle for a whole baseline window before this batch's latest minute have nothing left to compare with.
            var idleBefore = byRowKey.Values.SelectMany(p => p.Value.Keys).Max() - options.BaselineWindow;
            var idle = await db.Database.ExecuteSqlAsync(
                $"DELETE FROM insight_keys WHERE latest_minute < {idleBefore} AND NOT (key = ANY({keys}))", cancellationToken);
            await db.Database.ExecuteSqlAsync(
                $"DELETE FROM insight_minutes m WHERE NOT EXISTS (SELECT 1 FROM insight_keys k WHERE k.key = m.key) AND m.minute < {idleBefore}", cancellationToken);
            room += idle;
        }

        foreach (var rowKey in missing)
        {
            if (room-- <= 0)
            {
                LogKeyCapReached(logger, options.MaxKeys, rowKey);
                continue;
            }

            var (key, minutes) = byRowKey[rowKey];
            var first = minutes.Keys.Min();
            var row = new InsightKeyRecord
            {
                Key = rowKey,
                Account = key.Account,
                Region = key.Region,
                EventSource = key.EventSource,
                EventName = key.EventName,
                FirstMinute = first,
                ClosedThrough = first,
                LatestMinute = first,
            };
            db.Add(row);
            rows[rowKey] = row;
        }
    }

    // One statement for every key: the minutes that close in this batch, those aging out of the baseline as they do,
    // and those the batch adds to.
    private async Task<Dictionary<string, Dictionary<DateTimeOffset, InsightMinuteRecord>>> LoadMinutesAsync(
        List<KeyPlan> plans, CancellationToken cancellationToken)
    {
        var window = options.BaselineWindow;
        string[] keys = [.. plans.Select(p => p.Row.Key)];
        DateTimeOffset[] agingFrom = [.. plans.Select(p => p.Row.ClosedThrough - window)];
        DateTimeOffset[] agingTo = [.. plans.Select(p => p.CloseUpTo - window)];
        DateTimeOffset[] from = [.. plans.Select(p => p.LoadFrom)];
        DateTimeOffset[] to = [.. plans.Select(p => p.LoadTo)];
        var rows = await db.Set<InsightMinuteRecord>()
            .FromSql(
                $"""
                SELECT m.* FROM insight_minutes m
                JOIN unnest({keys}::text[], {agingFrom}::timestamptz[], {agingTo}::timestamptz[], {from}::timestamptz[], {to}::timestamptz[])
                    AS r(key, aging_from, aging_to, load_from, load_to) ON m.key = r.key
                WHERE (m.minute >= r.aging_from AND m.minute < r.aging_to) OR (m.minute >= r.load_from AND m.minute < r.load_to)
                """)
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToDictionary(r => r.Minute), StringComparer.Ordinal);
    }

    // The batch's counts join the stored minutes; a late minute already inside the baseline joins its sums at once.
    private void Merge(KeyPlan plan, Dictionary<DateTimeOffset, InsightMinuteRecord> minuteRows)
    {
        foreach (var (minute, counts) in plan.Minutes)
        {
            if (!minuteRows.TryGetValue(minute, out var row))
            {
                row = new InsightMinuteRecord { Key = plan.Row.Key, Minute = minute };
                db.Add(row);
                minuteRows[minute] = row;
            }

            var attributions = MinuteAttributions.FromJson(row.Attributions);
            attributions.AddAll(counts.Attributions);
            row.Attributions = attributions.ToJson();
            row.Calls += counts.Calls;
            row.Errors += counts.Errors;
            if (minute < plan.Row.ClosedThrough)
            {
                plan.Row.BaselineCalls += counts.Calls;
                plan.Row.BaselineErrors += counts.Errors;
            }
        }
    }

    // Judges each closed minute in order, then moves the baseline on: the minute joins it, the one a window before leaves.
    private async Task JudgeAsync(KeyPlan plan, Dictionary<DateTimeOffset, InsightMinuteRecord> minuteRows, BatchMatches batch, CancellationToken cancellationToken)
    {
        var row = plan.Row;
        var window = options.BaselineWindow;
        var open = JsonSerializer.Deserialize<Dictionary<InsightType, OpenInsight>>(row.OpenInsights, PlatformJson.Options) ?? [];
        for (var minute = row.ClosedThrough; minute < plan.CloseUpTo; minute += Minute)
        {
            var current = minuteRows.GetValueOrDefault(minute);
            var history = minute - row.FirstMinute;
            var baselineMinutes = (long)((history < window ? history : window) / Minute);
            if (history >= options.MinimumHistory)
            {
                foreach (var type in InsightTypes.All)
                {
                    var baseline = (double)(type == InsightType.ApiCallRate ? row.BaselineCalls : row.BaselineErrors) / baselineMinutes;
                    var value = current?.CountOf(type) ?? 0;
                    var unusual = value >= options.Sensitivity * baseline && value >= baseline + options.MinimumCount;
                    var insight = open.GetValueOrDefault(type);
                    if (unusual && insight is null)
                    {
                        insight = await StartAsync(row, type, minute, baseline, baselineMinutes, current!, minuteRows, cancellationToken);
                        open[type] = insight;
                        Raise(row, type, insight, CloudTrailInsightEvent.Start, minute, batch);
                    }
                    else if (unusual)
                    {
                        insight!.Total += value;
                        insight.Minutes++;
                        insight.Attributions.AddAll(MinuteAttributions.FromJson(current!.Attributions), type);
                    }
                    else if (insight is not null)
                    {
                        open.Remove(type);
                        Raise(row, type, insight, CloudTrailInsightEvent.End, minute, batch);
                    }
                }
            }

            row.BaselineCalls += current?.Calls ?? 0;
            row.BaselineErrors += current?.Errors ?? 0;
            if (minuteRows.GetValueOrDefault(minute - window) is { } leaving)
            {
                row.BaselineCalls -= leaving.Calls;
                row.BaselineErrors -= leaving.Errors;
            }
        }

        row.ClosedThrough = plan.CloseUpTo;
        row.OpenInsights = JsonSerializer.Serialize(open, PlatformJson.Options);
        // Aged out: every minute before the new baseline window was loaded (it was in the window before this batch).
        foreach (var aged in minuteRows.Values.Where(r => r.Minute < row.ClosedThrough - window).ToList())
        {
            db.Remove(aged);
        }
    }

    // The baseline's contributors are read once, when the Insight starts: its minutes are in the database (or this batch).
    private async Task<OpenInsight> StartAsync(
        InsightKeyRecord row, InsightType type, DateTimeOffset minute, double baseline, long baselineMinutes,
        InsightMinuteRecord current, Dictionary<DateTimeOffset, InsightMinuteRecord> minuteRows, CancellationToken cancellationToken)
    {
        var from = minute - TimeSpan.FromMinutes(baselineMinutes);
        var stored = await db.Set<InsightMinuteRecord>().AsNoTracking()
            .Where(r => r.Key == row.Key && r.Minute >= from && r.Minute < minute)
            .ToListAsync(cancellationToken);
        var baselineAttributions = new MinuteAttributions();
        foreach (var minuteRow in stored.Where(r => !minuteRows.ContainsKey(r.Minute)).Concat(minuteRows.Values.Where(r => r.Minute >= from && r.Minute < minute)))
        {
            baselineAttributions.AddAll(MinuteAttributions.FromJson(minuteRow.Attributions), type);
        }

        var insight = new OpenInsight
        {
            SharedEventId = FindingFingerprint.IdOf($"{row.Key}\u001f{type}\u001f{minute:O}"),
            Start = minute,
            BaselineAverage = baseline,
            BaselineDuration = baselineMinutes,
            BaselineTop = baselineAttributions.Top(type, baselineMinutes),
            Total = current.CountOf(type),
            Minutes = 1,
        };
        insight.Attributions.AddAll(MinuteAttributions.FromJson(current.Attributions), type);
        return insight;
    }

    // The Insights event on its stream (published after commit), and as the finding of its Insight.
    private void Raise(InsightKeyRecord row, InsightType type, OpenInsight insight, string state, DateTimeOffset time, BatchMatches batch)
    {
        var top = insight.Attributions.Top(type, insight.Minutes);
        var insightEvent = new CloudTrailInsightEvent(
            CloudTrailInsightEvent.FormatVersion,
            time,
            row.Region,
            FindingFingerprint.IdOf($"{insight.SharedEventId:N}\u001f{state}"),
            CloudTrailInsightEvent.AwsCloudTrailInsight,
            row.Account,
            insight.SharedEventId,
            new CloudTrailInsightDetails(
                state,
                row.EventSource,
                row.EventName,
                InsightTypes.AwsName(type),
                new CloudTrailInsightContext(
                    new CloudTrailInsightStatistics(
                        new CloudTrailInsightAverage(Math.Round(insight.BaselineAverage, 4)),
                        new CloudTrailInsightAverage(Math.Round((double)insight.Total / insight.Minutes, 4)),
                        insight.Minutes,
                        insight.BaselineDuration),
                    MinuteAttributions.Attributions(top, insight.BaselineTop))),
            CloudTrailInsightEvent.InsightCategory);
        store.Append(StreamPrefix + insight.SharedEventId.ToString("N"), state == CloudTrailInsightEvent.Start ? 0 : 1, [insightEvent], new EventMetadata(FindingDecisions.DetectionActor));

        var rule = InsightTypes.RuleOf(type);
        var principal = top[MinuteAttributions.UserIdentityArn].Select(v => v.Value).FirstOrDefault(v => v != "null");
        var logEvent = new NormalizedLogEvent(
            insightEvent.EventId.ToString(), LogSourceTypes.CloudTrail, time, null, null, row.Account, row.Region, row.EventSource, row.EventName,
            principal, null, null, LogDocument.FromElement(JsonSerializer.SerializeToElement(insightEvent, PlatformJson.Options)));
        batch.CountMatch(rule.Key);
        batch.For(FindingFingerprint.ForInsight(rule.Key, insight.SharedEventId), rule, logEvent).AddMatch(logEvent, ApiOf(row));
    }

    // The API as IAM names it: ec2:DescribeInstances.
    private static string ApiOf(InsightKeyRecord row)
    {
        var service = row.EventSource.EndsWith(".amazonaws.com", StringComparison.Ordinal) ? row.EventSource[..^".amazonaws.com".Length] : row.EventSource;
        return $"{service}:{row.EventName}";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "CloudTrail Insights keep at most {MaxKeys} keys: {Key} is not tracked")]
    private static partial void LogKeyCapReached(ILogger logger, int maxKeys, string key);

    /// <summary>One key's part of a batch: its counts, the minutes it closes, and the range of stored minutes it needs.</summary>
    private sealed record KeyPlan(
        InsightKeyRecord Row, Dictionary<DateTimeOffset, MinuteCounts> Minutes, DateTimeOffset CloseUpTo, DateTimeOffset LoadFrom, DateTimeOffset LoadTo);
}
