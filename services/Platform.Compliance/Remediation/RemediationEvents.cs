namespace Platform.Compliance.Remediation;

// A (rule, resource)'s remediation stream (remediations/<rule>/<resourceType>/<resourceId>): what asked for it, each
// attempt started, and each outcome — the outcomes being the public RemediationCompleted / RemediationFailed
// themselves, so what the bus hears is exactly the history, published once by the outbox relay.

/// <summary>A remediation was asked for: automatically by a NON_COMPLIANT verdict, or by a person.</summary>
/// <param name="Automatic">True when a verdict started it.</param>
/// <param name="ComplianceVersion">For an automatic one, the verdict's version in the evaluation stream.</param>
/// <param name="Actor">For a manual one, the API key that asked.</param>
public sealed record RemediationQueued(bool Automatic, long? ComplianceVersion, string? Actor);

/// <summary>An attempt began (a retry, or an attempt taken over from an instance whose lease ran out).</summary>
/// <param name="Attempt">Which attempt of this execution, from 1.</param>
/// <param name="Automatic">Whether the execution is automatic.</param>
/// <param name="TargetType">The target's type.</param>
/// <param name="TargetId">The target.</param>
/// <param name="Resumed">True when this attempt was started before by an instance that stopped before its outcome.</param>
public sealed record RemediationAttemptStarted(int Attempt, bool Automatic, string TargetType, string TargetId, bool Resumed);

/// <summary>
/// A NON_COMPLIANT verdict started nothing: the resource's automatic attempts for the window are spent, so it stays
/// non-compliant, flagged, instead of being remediated again and again.
/// </summary>
/// <param name="Reason">Why, for people.</param>
/// <param name="ComplianceVersion">The verdict's version in the evaluation stream.</param>
public sealed record RemediationHeld(string Reason, long ComplianceVersion);

/// <summary>The execution states of <c>DescribeRemediationExecutionStatus</c>.</summary>
public static class RemediationStates
{
    public const string Queued = "QUEUED";
    public const string InProgress = "IN_PROGRESS";
    public const string Succeeded = "SUCCEEDED";
    public const string Failed = "FAILED";
}

/// <summary>The stream of a rule's remediation of one resource.</summary>
public static class RemediationStreams
{
    public static string StreamId(string configRuleName, string resourceType, string resourceId) =>
        $"remediations/{configRuleName}/{resourceType}/{resourceId}";
}
