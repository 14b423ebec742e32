namespace Platform.Alarms;

/// <summary>CloudWatch's three alarm states, written as CloudWatch writes them (<see cref="AlarmStates"/>).</summary>
public enum AlarmState
{
    InsufficientData,
    Ok,
    Alarm,
}

/// <summary>The statistics an alarm may watch (CloudWatch's <c>Statistic</c>).</summary>
public enum AlarmStatistic
{
    SampleCount,
    Average,
    Sum,
    Minimum,
    Maximum,
}

/// <summary>The threshold comparisons of a static-threshold alarm.</summary>
public enum ComparisonOperator
{
    GreaterThanOrEqualToThreshold,
    GreaterThanThreshold,
    LessThanThreshold,
    LessThanOrEqualToThreshold,
}

/// <summary>How periods without data count (CloudWatch's <c>TreatMissingData</c>).</summary>
public enum MissingDataTreatment
{
    Missing,
    Ignore,
    Breaching,
    NotBreaching,
}

/// <summary>The names CloudWatch uses on the wire for the enums above: one mapping, both directions.</summary>
public static class AlarmStates
{
    public const string Ok = "OK";
    public const string Alarm = "ALARM";
    public const string InsufficientData = "INSUFFICIENT_DATA";

    public static readonly IReadOnlyList<string> All = [Ok, Alarm, InsufficientData];

    public static string Name(this AlarmState state) => state switch
    {
        AlarmState.Ok => Ok,
        AlarmState.Alarm => Alarm,
        _ => InsufficientData,
    };

    public static AlarmState? Parse(string? name) => name switch
    {
        Ok => AlarmState.Ok,
        Alarm => AlarmState.Alarm,
        InsufficientData => AlarmState.InsufficientData,
        _ => null,
    };

    /// <summary>TreatMissingData's values as put_metric_alarm takes them (case-sensitive, as AWS is).</summary>
    public static readonly IReadOnlyDictionary<string, MissingDataTreatment> MissingDataTreatments = new Dictionary<string, MissingDataTreatment>(StringComparer.Ordinal)
    {
        ["missing"] = MissingDataTreatment.Missing,
        ["ignore"] = MissingDataTreatment.Ignore,
        ["breaching"] = MissingDataTreatment.Breaching,
        ["notBreaching"] = MissingDataTreatment.NotBreaching,
    };
}
