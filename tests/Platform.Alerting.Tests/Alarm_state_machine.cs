namespace Platform.Alerting.Tests;

/// <summary>
/// CloudWatch's alarm evaluation, pure, under a fake clock. Patterns are the evaluation range oldest to newest as the
/// CloudWatch documentation writes them: <c>X</c> breaching, <c>0</c> not breaching, <c>-</c> missing.
/// </summary>
public sealed class Alarm_state_machine
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 30, 8, 44, 10, TimeSpan.Zero));

    private static MetricAlarm Alarm(int n = 3, int? m = null, string treatMissingData = "missing", int period = 60,
        double threshold = 5, string comparison = "GreaterThanThreshold") =>
        MetricAlarm.FromValidSpec("a", new AlarmSpec(null, null, "FailedLoginCount", "Security/Authentication", null, "Sum", null, period, n, m,
            threshold, comparison, treatMissingData, ["alarm-topic"], ["ok-topic"], null, null, null));

    private static DateTimeOffset End => AlarmStateMachine.EvaluationEnd(Clock.GetUtcNow());

    /// <summary>The range's datapoints from a pattern, oldest first: X is 10, 0 is 1 (threshold 5).</summary>
    private static List<AlarmDatapoint> Data(MetricAlarm alarm, string pattern)
    {
        var slots = pattern.Split(' ');
        return slots.Select((s, i) => (s, start: End - alarm.Period * (slots.Length - i)))
            .Where(x => x.s != "-")
            .Select(x => new AlarmDatapoint(x.start, x.s == "X" ? 10 : 1))
            .ToList();
    }

    private static AlarmEvaluation Evaluate(MetricAlarm alarm, string pattern, AlarmState current = AlarmState.Ok) =>
        AlarmStateMachine.Evaluate(alarm, current, Data(alarm, pattern), End, Clock.GetUtcNow());

    [Theory]
    // CloudWatch's table: EvaluationPeriods 3, DatapointsToAlarm 3, five datapoints retrieved.
    [InlineData("0 - X - X", "missing", "OK")]
    [InlineData("0 - X - X", "ignore", "OK")]
    [InlineData("0 - X - X", "breaching", "OK")]
    [InlineData("0 - X - X", "notBreaching", "OK")]
    [InlineData("- - - - 0", "missing", "OK")]
    [InlineData("- - - - 0", "ignore", "OK")]
    [InlineData("- - - - 0", "breaching", "OK")]
    [InlineData("- - - - 0", "notBreaching", "OK")]
    [InlineData("- - - - -", "missing", "INSUFFICIENT_DATA")]
    [InlineData("- - - - -", "breaching", "ALARM")]
    [InlineData("- - - - -", "notBreaching", "OK")]
    [InlineData("0 X X - X", "missing", "ALARM")]
    [InlineData("0 X X - X", "ignore", "ALARM")]
    [InlineData("0 X X - X", "breaching", "ALARM")]
    [InlineData("0 X X - X", "notBreaching", "ALARM")]
    [InlineData("- - X - -", "missing", "ALARM")]
    [InlineData("- - X - -", "breaching", "ALARM")]
    [InlineData("- - X - -", "notBreaching", "OK")]
    public void Three_of_three_follows_cloudwatchs_missing_data_table(string pattern, string treatMissingData, string expected) =>
        Assert.Equal(expected, Evaluate(Alarm(3, 3, treatMissingData), pattern, AlarmState.InsufficientData).State.Name());

    [Theory]
    [InlineData("- - - - -", AlarmState.Alarm)]
    [InlineData("- - - - -", AlarmState.Ok)]
    [InlineData("- - X - -", AlarmState.Ok)]
    [InlineData("- - X - -", AlarmState.InsufficientData)]
    public void Ignore_keeps_the_current_state_when_the_data_cannot_decide(string pattern, AlarmState current) =>
        Assert.Equal(current, Evaluate(Alarm(3, 3, "ignore"), pattern, current).State);

    [Theory]
    // M of N: DatapointsToAlarm 2 of EvaluationPeriods 3.
    [InlineData("0 - X - X", "missing", "ALARM")]
    [InlineData("0 0 X 0 X", "missing", "ALARM")]
    [InlineData("X X 0 0 X", "missing", "OK")]
    [InlineData("0 - X - -", "missing", "OK")]
    [InlineData("0 - X - -", "ignore", "OK")]
    [InlineData("0 - X - -", "breaching", "ALARM")]
    [InlineData("0 - X - -", "notBreaching", "OK")]
    [InlineData("- - - X X", "missing", "ALARM")]
    [InlineData("- - - X X", "notBreaching", "ALARM")]
    [InlineData("- - - - X", "notBreaching", "OK")]
    [InlineData("- - - - X", "breaching", "ALARM")]
    public void Two_of_three_alarms_on_any_two_breaching_datapoints_of_the_last_three(string pattern, string treatMissingData, string expected) =>
        Assert.Equal(expected, Evaluate(Alarm(3, 2, treatMissingData), pattern).State.Name());

    [Fact]
    public void With_enough_real_datapoints_missing_periods_are_skipped_and_the_treatment_plays_no_part()
    {
        // Three real datapoints, all breaching, among missing ones: the three most recent real ones decide.
        Assert.Equal(AlarmState.Alarm, Evaluate(Alarm(3, 3, "notBreaching"), "X - X - X").State);
        Assert.Equal(AlarmState.Ok, Evaluate(Alarm(3, 3, "breaching"), "0 - X - X").State);
    }

    [Fact]
    public void Datapoints_older_than_the_evaluation_range_do_not_count()
    {
        var alarm = Alarm(1, 1, "missing");
        var old = new AlarmDatapoint(End - alarm.Period * (1 + AlarmStateMachine.EvaluationRangeExtraPeriods + 1), 10);

        var evaluation = AlarmStateMachine.Evaluate(alarm, AlarmState.Ok, [old], End, Clock.GetUtcNow());

        Assert.Equal(AlarmState.InsufficientData, evaluation.State);
        Assert.Equal("Insufficient Data: 1 datapoint was unknown.", evaluation.Reason);
    }

    [Fact]
    public void Periods_slide_by_the_minute_and_the_last_one_ends_with_the_current_minute()
    {
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 45, 0, TimeSpan.Zero), End);
        var alarm = Alarm(1, 1, period: 300);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 30, 0, TimeSpan.Zero), AlarmStateMachine.RangeStart(alarm, End));
        var later = new FakeTimeProvider(Clock.GetUtcNow());
        later.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 31, 0, TimeSpan.Zero),
            AlarmStateMachine.RangeStart(alarm, AlarmStateMachine.EvaluationEnd(later.GetUtcNow())));
    }

    [Fact]
    public void The_seeds_alarm_crossing_its_threshold_says_so_in_cloudwatchs_words()
    {
        var alarm = Alarm(1, treatMissingData: "missing", period: 300, threshold: 10);
        var point = new AlarmDatapoint(new DateTimeOffset(2026, 11, 30, 8, 40, 0, TimeSpan.Zero), 11);

        var evaluation = AlarmStateMachine.Evaluate(alarm, AlarmState.InsufficientData, [point], End, Clock.GetUtcNow());

        Assert.Equal(AlarmState.Alarm, evaluation.State);
        Assert.Equal("Threshold Crossed: 1 datapoint [11.0 (30/11/26 08:40:00)] was greater than the threshold (10.0).", evaluation.Reason);
    }

    [Fact]
    public void The_state_reason_data_holds_the_query_the_statistic_and_the_evaluated_datapoints_newest_first()
    {
        var alarm = Alarm(3, 2, "breaching");

        var evaluation = Evaluate(alarm, "0 - X - -");

        var data = JsonDocument.Parse(evaluation.ReasonData).RootElement;
        Assert.Equal("1.0", data.GetProperty("version").GetString());
        Assert.Equal("2026-11-30T08:44:10.000+0000", data.GetProperty("queryDate").GetString());
        Assert.Equal("2026-11-30T08:40:00.000+0000", data.GetProperty("startDate").GetString());
        Assert.Equal("Sum", data.GetProperty("statistic").GetString());
        Assert.Equal(60, data.GetProperty("period").GetInt32());
        Assert.Equal(5, data.GetProperty("threshold").GetDouble());
        Assert.Equal([1.0, 10.0], data.GetProperty("recentDatapoints").EnumerateArray().Select(v => v.GetDouble()));
        var evaluated = data.GetProperty("evaluatedDatapoints").EnumerateArray().ToList();
        Assert.Equal(["2026-11-30T08:44:00.000+0000", "2026-11-30T08:42:00.000+0000", "2026-11-30T08:40:00.000+0000"],
            evaluated.Select(p => p.GetProperty("timestamp").GetString()));
        // The filled-in period has no value: it was missing and treated as breaching.
        Assert.False(evaluated[0].TryGetProperty("value", out _));
        Assert.Equal(10, evaluated[1].GetProperty("value").GetDouble());
    }

    [Fact]
    public void M_of_n_reasons_count_the_breaching_datapoints_and_name_the_transition()
    {
        var evaluation = Evaluate(Alarm(3, 2), "- - 0 X X");

        Assert.Equal(
            "Threshold Crossed: 2 out of the last 3 datapoints [10.0 (30/11/26 08:44:00), 10.0 (30/11/26 08:43:00)] were greater than the threshold (5.0) " +
            "(minimum 2 datapoints for OK -> ALARM transition).",
            evaluation.Reason);
    }

    [Fact]
    public void Recovery_to_OK_says_which_datapoints_were_not_over_the_threshold()
    {
        var evaluation = Evaluate(Alarm(3, 2), "- - X 0 0", AlarmState.Alarm);

        Assert.Equal(AlarmState.Ok, evaluation.State);
        Assert.Equal(
            "Threshold Crossed: 2 out of the last 3 datapoints [1.0 (30/11/26 08:44:00), 1.0 (30/11/26 08:43:00)] were not greater than the threshold (5.0) " +
            "(minimum 2 datapoints for ALARM -> OK transition).",
            evaluation.Reason);
    }

    [Fact]
    public void Missing_data_treated_as_breaching_or_not_is_named_in_the_reason()
    {
        Assert.Equal(
            "Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as [Breaching].",
            Evaluate(Alarm(3, 3, "breaching"), "- - - - -").Reason);
        Assert.Equal(
            "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].",
            Evaluate(Alarm(1, 1, "notBreaching"), "- - -", AlarmState.Alarm).Reason);
        Assert.EndsWith(
            "2 missing datapoints were treated as [Breaching].",
            Evaluate(Alarm(3, 3, "breaching"), "- - X - -").Reason);
        Assert.Equal("Insufficient Data: 3 datapoints were unknown.", Evaluate(Alarm(3, 3, "missing"), "- - - - -").Reason);
    }

    [Theory]
    [InlineData("GreaterThanOrEqualToThreshold", 5, "ALARM", "greater than or equal to")]
    [InlineData("GreaterThanThreshold", 5, "OK", "not greater than")]
    [InlineData("LessThanThreshold", 4.5, "ALARM", "less than")]
    [InlineData("LessThanOrEqualToThreshold", 5, "ALARM", "less than or equal to")]
    [InlineData("LessThanOrEqualToThreshold", 5.5, "OK", "not less than or equal to")]
    public void Each_comparison_operator_compares_as_its_name_says(string comparison, double value, string expected, string words)
    {
        var alarm = Alarm(1, 1, comparison: comparison);

        var evaluation = AlarmStateMachine.Evaluate(alarm, AlarmState.InsufficientData, [new AlarmDatapoint(End - alarm.Period, value)], End, Clock.GetUtcNow());

        Assert.Equal(expected, evaluation.State.Name());
        Assert.Contains($"was {words} the threshold (5.0)", evaluation.Reason);
    }

    [Fact]
    public void Actions_are_the_new_states_and_none_when_actions_are_disabled()
    {
        var alarm = Alarm();
        Assert.Equal(["alarm-topic"], alarm.ActionsFor(AlarmState.Alarm));
        Assert.Equal(["ok-topic"], alarm.ActionsFor(AlarmState.Ok));
        Assert.Empty(alarm.ActionsFor(AlarmState.InsufficientData));
        Assert.Empty((alarm with { ActionsEnabled = false }).ActionsFor(AlarmState.Alarm));
    }
}
