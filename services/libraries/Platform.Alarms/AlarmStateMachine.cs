namespace Platform.Alarms;

/// <summary>The statistic of one period that has data.</summary>
public sealed record AlarmDatapoint(DateTimeOffset PeriodStart, double Value);

/// <summary>
/// What an evaluation decided: the state (the current one when nothing decides a change), why in CloudWatch's words,
/// and the datapoints behind it as CloudWatch's <c>StateReasonData</c> JSON.
/// </summary>
public sealed record AlarmEvaluation(AlarmState State, string Reason, string ReasonData);

/// <summary>
/// CloudWatch's metric alarm evaluation, pure: given the alarm, its state and the datapoints of its evaluation range,
/// the state it should be in. Semantics ("Alarm evaluation", "Configuring how CloudWatch alarms treat missing data"):
/// <list type="bullet">
/// <item>The last period ends at <see cref="EvaluationEnd"/> and periods slide by the minute, not aligned to their length
/// (a 5-minute alarm evaluated at 12:06 looks at 12:01–12:06).</item>
/// <item>The evaluation range is <see cref="EvaluationRangeExtraPeriods"/> periods longer than EvaluationPeriods (N).</item>
/// <item>With at least N real datapoints in the range, the N most recent decide, missing periods are skipped and
/// TreatMissingData plays no part: ALARM when at least DatapointsToAlarm (M) breach, else OK.</item>
/// <item>With none: <c>missing</c> → INSUFFICIENT_DATA, <c>ignore</c> → the state is kept, <c>breaching</c> → ALARM,
/// <c>notBreaching</c> → OK.</item>
/// <item>With fewer than N: <c>breaching</c>/<c>notBreaching</c> fill only as many missing periods as needed to reach N
/// (every real datapoint is used); <c>missing</c> decides on the real datapoints alone, ALARM when at least
/// min(M, their count) breach; <c>ignore</c> goes to ALARM only with M real breaching datapoints, keeps the state
/// when too few real ones would have alarmed, and otherwise goes to OK.</item>
/// </list>
/// </summary>
public static class AlarmStateMachine
{
    /// <summary>How many periods before the N evaluated ones CloudWatch also retrieves (the "evaluation range").</summary>
    public const int EvaluationRangeExtraPeriods = 2;

    /// <summary>The reason of a new alarm, before its first evaluation (CloudWatch's words).</summary>
    public const string InitialReason = "Unchecked: Initial alarm creation";

    /// <summary>
    /// Where the most recent period ends when evaluating at <paramref name="now"/>: the end of the current minute, so
    /// data arriving in this minute counts at once (the metric-data trigger) and the minute pass sees the same window.
    /// </summary>
    public static DateTimeOffset EvaluationEnd(DateTimeOffset now) =>
        new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero).AddMinutes(1);

    /// <summary>Where the evaluation range of <paramref name="alarm"/> starts when it ends at <paramref name="end"/>.</summary>
    public static DateTimeOffset RangeStart(MetricAlarm alarm, DateTimeOffset end) =>
        end - alarm.Period * (alarm.EvaluationPeriods + EvaluationRangeExtraPeriods);

    /// <summary>Evaluates <paramref name="alarm"/>, now in <paramref name="current"/>, on the datapoints of its range ending at <paramref name="end"/>.</summary>
    public static AlarmEvaluation Evaluate(
        MetricAlarm alarm, AlarmState current, IReadOnlyList<AlarmDatapoint> datapoints, DateTimeOffset end, DateTimeOffset queryDate)
    {
        var n = alarm.EvaluationPeriods;
        var m = alarm.DatapointsToAlarm;
        var start = RangeStart(alarm, end);
        var byStart = datapoints.Where(d => d.PeriodStart >= start && d.PeriodStart < end)
            .GroupBy(d => d.PeriodStart).ToDictionary(g => g.Key, g => g.Last().Value);

        // The range's periods, most recent first.
        var slots = Enumerable.Range(1, n + EvaluationRangeExtraPeriods)
            .Select(i => end - alarm.Period * i)
            .Select(periodStart => new Slot(periodStart, byStart.TryGetValue(periodStart, out var v) ? v : null, false))
            .Select(s => s with { Breaching = s.Value is { } v && alarm.Breaches(v) })
            .ToList();
        var real = slots.Where(s => s.Value is not null).ToList();
        var context = new Context(alarm, current, start, queryDate, real);

        if (real.Count >= n)
        {
            return context.Decide(real.Take(n).ToList(), m);
        }
        var treatment = alarm.TreatMissingData;
        if (real.Count == 0)
        {
            return treatment switch
            {
                MissingDataTreatment.Missing => context.Result(AlarmState.InsufficientData,
                    $"Insufficient Data: {Count(n, "datapoint")} {WasWere(n)} unknown.", []),
                MissingDataTreatment.Breaching or MissingDataTreatment.NotBreaching => context.Result(
                    treatment == MissingDataTreatment.Breaching ? AlarmState.Alarm : AlarmState.Ok,
                    $"Threshold Crossed: no datapoints were received for {Count(n, "period")} and {Count(n, "missing datapoint")} " +
                    $"{WasWere(n)} treated as [{TreatedAs(treatment)}].",
                    slots.Take(n).ToList()),
                _ => context.Kept(),
            };
        }

        var realBreaching = real.Count(s => s.Breaching);
        switch (treatment)
        {
            case MissingDataTreatment.Breaching or MissingDataTreatment.NotBreaching:
                // As few missing datapoints as possible: only enough to make N, the most recent missing periods first.
                var filled = slots.Where(s => s.Value is null).Take(n - real.Count)
                    .Select(s => s with { Breaching = treatment == MissingDataTreatment.Breaching });
                return context.Decide(real.Concat(filled).OrderByDescending(s => s.PeriodStart).ToList(), m);
            case MissingDataTreatment.Missing:
                return context.Decide(real, Math.Min(m, real.Count));
            default:
                return realBreaching >= m ? context.Decide(real, m)
                    : realBreaching >= Math.Min(m, real.Count) ? context.Kept()
                    : context.Decide(real, Math.Min(m, real.Count));
        }
    }

    /// <summary>A period of the evaluation range: its statistic, or none (missing), and whether it counts as breaching.</summary>
    private sealed record Slot(DateTimeOffset PeriodStart, double? Value, bool Breaching);

    private sealed record Context(MetricAlarm Alarm, AlarmState Current, DateTimeOffset RangeStart, DateTimeOffset QueryDate, IReadOnlyList<Slot> Real)
    {
        /// <summary>ALARM when at least <paramref name="minimum"/> of <paramref name="evaluated"/> breach, else OK.</summary>
        public AlarmEvaluation Decide(IReadOnlyList<Slot> evaluated, int minimum)
        {
            var breaching = evaluated.Count(s => s.Breaching);
            var state = breaching >= minimum ? AlarmState.Alarm : AlarmState.Ok;
            var side = evaluated.Where(s => s.Breaching == (state == AlarmState.Alarm)).ToList();
            var shown = side.Where(s => s.Value is not null).ToList();
            var filled = side.Count - shown.Count;
            var comparison = (state == AlarmState.Alarm ? "" : "not ") + Words(Alarm.ComparisonOperator);
            var list = "[" + string.Join(", ", shown.Select(s => $"{Number(s.Value!.Value)} ({s.PeriodStart.UtcDateTime.ToString("dd/MM/yy HH:mm:ss", CultureInfo.InvariantCulture)})")) + "]";
            var threshold = Number(Alarm.Threshold);
            string reason;
            if (evaluated.Count == 1)
            {
                reason = $"Threshold Crossed: 1 datapoint {list} was {comparison} the threshold ({threshold}).";
            }
            else
            {
                var needed = state == AlarmState.Alarm ? minimum : evaluated.Count - minimum + 1;
                reason = $"Threshold Crossed: {side.Count} out of the last {evaluated.Count} datapoints {list} {WasWere(side.Count)} {comparison} " +
                         $"the threshold ({threshold}) (minimum {Count(needed, "datapoint")} for {Current.Name()} -> {state.Name()} transition).";
            }
            if (filled > 0)
            {
                reason += $" {Count(filled, "missing datapoint")} {WasWere(filled)} treated as [{TreatedAs(Alarm.TreatMissingData)}].";
            }
            return Result(state, reason, evaluated);
        }

        /// <summary>Nothing decides a change (<c>ignore</c>): the state and its reason stay.</summary>
        public AlarmEvaluation Kept() => new(Current, "", "");

        public AlarmEvaluation Result(AlarmState state, string reason, IReadOnlyList<Slot> evaluated)
        {
            var data = new JsonObject
            {
                ["version"] = "1.0",
                ["queryDate"] = Timestamp(QueryDate),
                ["startDate"] = Timestamp(RangeStart),
                ["statistic"] = Alarm.Statistic.ToString(),
                ["period"] = (int)Alarm.Period.TotalSeconds,
                ["recentDatapoints"] = new JsonArray(Real.OrderBy(s => s.PeriodStart).Select(s => (JsonNode)s.Value!.Value).ToArray()),
                ["threshold"] = Alarm.Threshold,
                ["evaluatedDatapoints"] = new JsonArray(evaluated.Select(s =>
                {
                    var point = new JsonObject { ["timestamp"] = Timestamp(s.PeriodStart) };
                    if (s.Value is { } value)
                    {
                        point["value"] = value;
                    }
                    return (JsonNode)point;
                }).ToArray()),
            };
            return new AlarmEvaluation(state, reason, data.ToJsonString());
        }
    }

    private static string Words(ComparisonOperator comparison) => comparison switch
    {
        ComparisonOperator.GreaterThanOrEqualToThreshold => "greater than or equal to",
        ComparisonOperator.GreaterThanThreshold => "greater than",
        ComparisonOperator.LessThanThreshold => "less than",
        _ => "less than or equal to",
    };

    private static string TreatedAs(MissingDataTreatment treatment) =>
        treatment == MissingDataTreatment.Breaching ? "Breaching" : "NonBreaching";

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static string WasWere(int count) => count == 1 ? "was" : "were";

    /// <summary>A number as CloudWatch writes it in reasons: always with a decimal point (<c>10.0</c>, <c>0.5</c>).</summary>
    public static string Number(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') || !double.IsFinite(value) ? text : text + ".0";
    }

    /// <summary>CloudWatch's timestamps in StateReasonData: <c>2026-11-30T08:40:00.000+0000</c>.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture) + "+0000";
}
