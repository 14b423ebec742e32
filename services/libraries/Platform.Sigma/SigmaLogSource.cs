namespace Platform.Sigma;

/// <summary>
/// The Sigma <c>logsource</c> triple. On a rule, a null part means "any"; on an event every part
/// the platform knows is set.
/// </summary>
public readonly record struct SigmaLogSource(string? Product, string? Service, string? Category = null)
{
    /// <summary>
    /// True when every part this rule log source states equals the event's (case-insensitively);
    /// parts the rule leaves out match anything.
    /// </summary>
    public bool Covers(SigmaLogSource eventLogSource) =>
        PartMatches(Product, eventLogSource.Product)
        && PartMatches(Service, eventLogSource.Service)
        && PartMatches(Category, eventLogSource.Category);

    private static bool PartMatches(string? rulePart, string? eventPart) =>
        rulePart is null || string.Equals(rulePart, eventPart, StringComparison.OrdinalIgnoreCase);

    public override string ToString() =>
        $"product={Product ?? "*"} service={Service ?? "*"} category={Category ?? "*"}";
}

/// <summary>
/// The log sources the platform feeds to Sigma rules, and the shape of their event documents.
/// See README.md for the fields of each.
/// </summary>
public static class SigmaLogSources
{
    /// <summary>CloudTrail: the document is the CloudTrail record itself (eventSource, eventName, userIdentity.type, ...).</summary>
    public static readonly SigmaLogSource CloudTrail = new("aws", "cloudtrail");

    /// <summary>
    /// VPC Flow Logs: one flow record with the AWS field names (<c>srcaddr</c>, <c>dstaddr</c>, <c>srcport</c>,
    /// <c>dstport</c>, <c>protocol</c>, <c>packets</c>, <c>bytes</c>, <c>start</c>, <c>end</c>, <c>action</c>,
    /// <c>log-status</c>, <c>account-id</c>, <c>interface-id</c>, <c>vpc-id</c>, ...); numeric fields are JSON numbers.
    /// </summary>
    public static readonly SigmaLogSource VpcFlowLogs = new("aws", "vpcflowlogs");

    /// <summary>Application logs: whatever JSON object the application logged, e.g. <c>{"eventType":"LOGIN","status":"FAILED"}</c>.</summary>
    public static readonly SigmaLogSource Application = new("aws", "application");

    /// <summary>Plain text lines: a document with a single <c>message</c> string field.</summary>
    public static readonly SigmaLogSource Text = new("aws", "text");

    /// <summary>
    /// AWS Config configuration items (the compliance service's <c>CUSTOM_POLICY</c> rules): one item in Config's
    /// notification shape (<c>resourceType</c>, <c>resourceId</c>, <c>awsAccountId</c>, <c>configuration.publicIpAddress</c>,
    /// <c>supplementaryConfiguration.BucketPolicy.policyText.Statement.Effect</c>, <c>tags.Name</c>, ...), embedded documents parsed.
    /// </summary>
    public static readonly SigmaLogSource ConfigurationItems = new("aws", "config");

    /// <summary>The field holding the line of a <see cref="Text"/> event.</summary>
    public const string TextMessageField = "message";
}
