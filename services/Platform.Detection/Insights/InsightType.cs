namespace Platform.Detection.Insights;

/// <summary>The two Insights types CloudTrail offers, each a finding rule of its own.</summary>
public enum InsightType
{
    /// <summary>Write management calls per minute (<c>ApiCallRateInsight</c>).</summary>
    ApiCallRate,

    /// <summary>Calls answered with an error code per minute (<c>ApiErrorRateInsight</c>).</summary>
    ApiErrorRate,
}

/// <summary>What findings need to know of each Insights type: its AWS name and the rule its findings carry.</summary>
public static class InsightTypes
{
    public static readonly InsightType[] All = [InsightType.ApiCallRate, InsightType.ApiErrorRate];

    public static readonly DetectionRuleInfo CallRateRule = Rule(
        "aws-cloudtrail-insight-api-call-rate",
        "CloudTrail Insight: unusual write API call rate",
        "The calls per minute of one API in one account and region rose far above their baseline of the days before (CloudTrail Insights' ApiCallRateInsight).",
        CloudTrailInsightEvent.ApiCallRateInsight);

    public static readonly DetectionRuleInfo ErrorRateRule = Rule(
        "aws-cloudtrail-insight-api-error-rate",
        "CloudTrail Insight: unusual API error rate",
        "The errors per minute of one API in one account and region rose far above their baseline of the days before (CloudTrail Insights' ApiErrorRateInsight).",
        CloudTrailInsightEvent.ApiErrorRateInsight);

    public static string AwsName(InsightType type) =>
        type == InsightType.ApiCallRate ? CloudTrailInsightEvent.ApiCallRateInsight : CloudTrailInsightEvent.ApiErrorRateInsight;

    public static DetectionRuleInfo RuleOf(InsightType type) => type == InsightType.ApiCallRate ? CallRateRule : ErrorRateRule;

    private static DetectionRuleInfo Rule(string id, string title, string description, string awsName) =>
        new(id, id, title, description, "medium", FindingSeverity.Medium, RuleOrigin.Builtin, Enabled: true, IsCorrelation: false,
            Tags: [], Techniques: [], Tactics: [], Source: "insights:" + awsName, Disposition: FindingDisposition.Alert);
}
