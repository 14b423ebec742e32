namespace Platform.Contracts.Alerting;

/// <summary>
/// An alarm moved from one state to another (<c>OK</c>, <c>ALARM</c>, <c>INSUFFICIENT_DATA</c>). Published once per
/// transition; <see cref="Version"/> is the transition's position in the alarm's history stream, so a consumer that
/// sees the same alarm and version twice is seeing a redelivery.
/// </summary>
/// <param name="AlarmName">The alarm's name.</param>
/// <param name="OldState">The state it left.</param>
/// <param name="NewState">The state it entered.</param>
/// <param name="Reason">Why, in CloudWatch's words ("Threshold Crossed: 1 datapoint [11.0 (30/11/26 08:40:00)] was greater than the threshold (10.0).").</param>
/// <param name="ReasonData">The datapoints behind the decision, as CloudWatch's <c>StateReasonData</c> JSON.</param>
/// <param name="Timestamp">When the state changed.</param>
/// <param name="Version">The transition's version in the alarm's history stream.</param>
/// <param name="Actions">The new state's actions (topic or function ARNs or names); empty when actions are disabled.</param>
public sealed record AlarmStateChanged(
    string AlarmName,
    string OldState,
    string NewState,
    string Reason,
    string? ReasonData,
    DateTimeOffset Timestamp,
    long Version,
    IReadOnlyList<string> Actions);
