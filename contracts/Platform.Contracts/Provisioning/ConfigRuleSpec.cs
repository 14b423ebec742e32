namespace Platform.Contracts.Provisioning;

/// <summary>
/// An AWS Config rule as <c>put_config_rule</c> takes its <c>ConfigRule</c>, AWS's field names and casing kept, so a
/// boto3 call written as JSON provisions it unchanged. The resource's name is the rule's name.
/// </summary>
/// <param name="ConfigRuleName">The rule's name; the resource's name when absent, and equal to it when given.</param>
/// <param name="Description">Free text.</param>
/// <param name="Source">Who owns the rule's logic and which logic it is.</param>
/// <param name="InputParameters">The rule's parameters: a JSON object, or a string holding one as AWS takes it
/// (<c>"{\"MinimumPasswordLength\":\"14\"}"</c>).</param>
/// <param name="Scope">Which resources it judges; every resource of the rule's types when absent.</param>
/// <param name="MaximumExecutionFrequency">For periodic rules: <c>One_Hour</c>, <c>Three_Hours</c>, <c>Six_Hours</c>, <c>Twelve_Hours</c>, <c>TwentyFour_Hours</c>.</param>
public sealed record ConfigRuleSpec(
    [property: JsonPropertyName("ConfigRuleName")] string? ConfigRuleName,
    [property: JsonPropertyName("Description")] string? Description,
    [property: JsonPropertyName("Source")] ConfigRuleSource? Source,
    [property: JsonPropertyName("InputParameters")] JsonElement? InputParameters = null,
    [property: JsonPropertyName("Scope")] ConfigRuleScope? Scope = null,
    [property: JsonPropertyName("MaximumExecutionFrequency")] string? MaximumExecutionFrequency = null);

/// <summary>A rule's source.</summary>
/// <param name="Owner"><c>AWS</c> (a managed rule), <c>CUSTOM_LAMBDA</c> (a function of the <c>functions</c> kind) or
/// <c>CUSTOM_POLICY</c> (a policy written in Sigma over configuration items).</param>
/// <param name="SourceIdentifier">The managed rule's identifier (<c>S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED</c>) or the function's ARN or name.</param>
/// <param name="SourceDetails">What triggers a custom rule: configuration changes and/or a schedule.</param>
/// <param name="CustomPolicyDetails">The policy of a <c>CUSTOM_POLICY</c> rule.</param>
public sealed record ConfigRuleSource(
    [property: JsonPropertyName("Owner")] string? Owner,
    [property: JsonPropertyName("SourceIdentifier")] string? SourceIdentifier = null,
    [property: JsonPropertyName("SourceDetails")] IReadOnlyList<ConfigRuleSourceDetail>? SourceDetails = null,
    [property: JsonPropertyName("CustomPolicyDetails")] ConfigRuleCustomPolicyDetails? CustomPolicyDetails = null);

/// <summary>One trigger of a custom rule.</summary>
/// <param name="EventSource"><c>aws.config</c>.</param>
/// <param name="MessageType"><c>ConfigurationItemChangeNotification</c>, <c>OversizedConfigurationItemChangeNotification</c>,
/// <c>ScheduledNotification</c> or <c>ConfigurationSnapshotDeliveryCompleted</c>.</param>
/// <param name="MaximumExecutionFrequency">For <c>ScheduledNotification</c>.</param>
public sealed record ConfigRuleSourceDetail(
    [property: JsonPropertyName("EventSource")] string? EventSource,
    [property: JsonPropertyName("MessageType")] string? MessageType,
    [property: JsonPropertyName("MaximumExecutionFrequency")] string? MaximumExecutionFrequency = null);

/// <summary>The policy of a <c>CUSTOM_POLICY</c> rule.</summary>
/// <param name="PolicyRuntime"><c>sigma</c>: the policy is a Sigma rule over configuration items (the engine detection runs).</param>
/// <param name="PolicyText">The policy.</param>
/// <param name="EnableDebugLogDelivery">Accepted and recorded.</param>
public sealed record ConfigRuleCustomPolicyDetails(
    [property: JsonPropertyName("PolicyRuntime")] string? PolicyRuntime,
    [property: JsonPropertyName("PolicyText")] string? PolicyText,
    [property: JsonPropertyName("EnableDebugLogDelivery")] bool? EnableDebugLogDelivery = null);

/// <summary>Which resources a rule judges.</summary>
/// <param name="ComplianceResourceTypes">Resource types (<c>AWS::S3::Bucket</c>).</param>
/// <param name="TagKey">Only resources with this tag.</param>
/// <param name="TagValue">...and this value (needs <see cref="TagKey"/>).</param>
/// <param name="ComplianceResourceId">Only this resource (needs exactly one type).</param>
public sealed record ConfigRuleScope(
    [property: JsonPropertyName("ComplianceResourceTypes")] IReadOnlyList<string>? ComplianceResourceTypes = null,
    [property: JsonPropertyName("TagKey")] string? TagKey = null,
    [property: JsonPropertyName("TagValue")] string? TagValue = null,
    [property: JsonPropertyName("ComplianceResourceId")] string? ComplianceResourceId = null);
