namespace Platform.Contracts.Detection;

/// <summary>
/// A CloudTrail Insights event as AWS writes it (field names and casing as in a trail's Insights log), raised by
/// detection's own Insights: the start of unusual activity on one API (<c>insightDetails.state</c> <c>Start</c>) and,
/// with the same <see cref="SharedEventId"/>, its end. Published on the bus (once per event: a stable message id);
/// the finding it raises (rule <c>aws-cloudtrail-insight-api-call-rate</c> or <c>-api-error-rate</c>) carries it as
/// evidence.
/// </summary>
/// <param name="EventVersion">The record format's version.</param>
/// <param name="EventTime">The start of the first unusual minute (start) or of the first minute back to normal (end).</param>
/// <param name="AwsRegion">The region of the calls.</param>
/// <param name="EventId">This event's id.</param>
/// <param name="EventType">Always <c>AwsCloudTrailInsight</c>.</param>
/// <param name="RecipientAccountId">The account of the calls.</param>
/// <param name="SharedEventId">Common to the start and end events of one Insight.</param>
/// <param name="InsightDetails">What was unusual, and how it compares with the baseline.</param>
/// <param name="EventCategory">Always <c>Insight</c>.</param>
public sealed record CloudTrailInsightEvent(
    string EventVersion,
    DateTimeOffset EventTime,
    string? AwsRegion,
    [property: JsonPropertyName("eventID")] Guid EventId,
    string EventType,
    string? RecipientAccountId,
    [property: JsonPropertyName("sharedEventID")] Guid SharedEventId,
    CloudTrailInsightDetails InsightDetails,
    string EventCategory)
{
    public const string AwsCloudTrailInsight = "AwsCloudTrailInsight";
    public const string InsightCategory = "Insight";
    public const string FormatVersion = "1.08";
    public const string ApiCallRateInsight = "ApiCallRateInsight";
    public const string ApiErrorRateInsight = "ApiErrorRateInsight";
    public const string Start = "Start";
    public const string End = "End";
}

/// <summary>The <c>insightDetails</c> block: which API, which Insight type, start or end.</summary>
/// <param name="State"><c>Start</c> or <c>End</c>.</param>
/// <param name="EventSource">The service of the calls (<c>ec2.amazonaws.com</c>).</param>
/// <param name="EventName">The API called.</param>
/// <param name="InsightType"><c>ApiCallRateInsight</c> or <c>ApiErrorRateInsight</c>.</param>
/// <param name="InsightContext">Statistics and the top contributors.</param>
public sealed record CloudTrailInsightDetails(
    string State,
    string EventSource,
    string EventName,
    string InsightType,
    CloudTrailInsightContext InsightContext);

/// <summary>The <c>insightContext</c> block: how the unusual activity compares with the baseline, and who made it.</summary>
/// <param name="Statistics">Baseline and unusual averages per minute, and the durations they cover.</param>
/// <param name="Attributions">Top principals (<c>userIdentityArn</c>), user agents (<c>userAgent</c>) and error codes (<c>errorCode</c>).</param>
public sealed record CloudTrailInsightContext(
    CloudTrailInsightStatistics Statistics,
    IReadOnlyList<CloudTrailInsightAttribution> Attributions);

/// <summary>The <c>statistics</c> block.</summary>
/// <param name="Baseline">Average calls (or errors) per minute over the baseline, the days before the Insight started.</param>
/// <param name="Insight">Average per minute in the first unusual minute (start), or over the whole Insight (end).</param>
/// <param name="InsightDuration">Minutes of unusual activity so far (start: 1) or in all (end).</param>
/// <param name="BaselineDuration">Minutes the baseline covers (at most the baseline window, 7 days by default).</param>
public sealed record CloudTrailInsightStatistics(
    CloudTrailInsightAverage Baseline,
    CloudTrailInsightAverage Insight,
    long InsightDuration,
    long BaselineDuration);

/// <summary>An average per minute (<c>{"average": 1.5}</c>).</summary>
public sealed record CloudTrailInsightAverage(double Average);

/// <summary>One attribute's top contributors, during the Insight and over the baseline.</summary>
/// <param name="Attribute"><c>userIdentityArn</c>, <c>userAgent</c> or <c>errorCode</c>.</param>
/// <param name="Insight">The top values during the Insight, with their average per minute.</param>
/// <param name="Baseline">The top values over the baseline, with their average per minute.</param>
public sealed record CloudTrailInsightAttribution(
    string Attribute,
    IReadOnlyList<CloudTrailInsightAttributeValue> Insight,
    IReadOnlyList<CloudTrailInsightAttributeValue> Baseline);

/// <summary>One value of an attribute and its average per minute.</summary>
public sealed record CloudTrailInsightAttributeValue(string Value, double Average);
