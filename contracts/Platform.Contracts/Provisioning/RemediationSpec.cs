namespace Platform.Contracts.Provisioning;

/// <summary>
/// A remediation configuration as <c>put_remediation_configurations</c> takes one element of
/// <c>RemediationConfigurations</c>, AWS's field names and casing kept. The resource's name is the config rule's name
/// (AWS allows one remediation per rule).
/// </summary>
/// <param name="ConfigRuleName">The rule whose non-compliant resources it fixes; the resource's name when absent, equal to it when given.</param>
/// <param name="TargetType"><c>SSM_DOCUMENT</c> (documents the platform performs itself, such as
/// <c>AWS-EnableS3BucketEncryption</c>) or <c>FUNCTION</c> (a function of the <c>functions</c> kind).</param>
/// <param name="TargetId">The document's name or the function's ARN or name.</param>
/// <param name="TargetVersion">The document's version, recorded.</param>
/// <param name="Parameters">The target's parameters, each from the resource (<c>ResourceValue</c> <c>RESOURCE_ID</c>) or static.</param>
/// <param name="ResourceType">The resource type it applies to, recorded.</param>
/// <param name="Automatic">Whether it runs by itself when the rule finds a resource non-compliant.</param>
/// <param name="MaximumAutomaticAttempts">Attempts before giving up (1–25; 5 when absent).</param>
/// <param name="RetryAttemptSeconds">Seconds between attempts (1–2678000; 60 when absent).</param>
/// <param name="ExecutionControls">AWS's SSM rate controls, accepted and recorded.</param>
public sealed record RemediationSpec(
    [property: JsonPropertyName("ConfigRuleName")] string? ConfigRuleName,
    [property: JsonPropertyName("TargetType")] string? TargetType,
    [property: JsonPropertyName("TargetId")] string? TargetId,
    [property: JsonPropertyName("TargetVersion")] string? TargetVersion = null,
    [property: JsonPropertyName("Parameters")] IReadOnlyDictionary<string, RemediationParameterValue>? Parameters = null,
    [property: JsonPropertyName("ResourceType")] string? ResourceType = null,
    [property: JsonPropertyName("Automatic")] bool? Automatic = null,
    [property: JsonPropertyName("MaximumAutomaticAttempts")] int? MaximumAutomaticAttempts = null,
    [property: JsonPropertyName("RetryAttemptSeconds")] long? RetryAttemptSeconds = null,
    [property: JsonPropertyName("ExecutionControls")] JsonElement? ExecutionControls = null);

/// <summary>One parameter's value: from the resource or static.</summary>
public sealed record RemediationParameterValue(
    [property: JsonPropertyName("ResourceValue")] RemediationResourceValue? ResourceValue = null,
    [property: JsonPropertyName("StaticValue")] RemediationStaticValue? StaticValue = null);

/// <summary>A value taken from the non-compliant resource: <c>RESOURCE_ID</c>.</summary>
public sealed record RemediationResourceValue([property: JsonPropertyName("Value")] string? Value);

/// <summary>Fixed values.</summary>
public sealed record RemediationStaticValue([property: JsonPropertyName("Values")] IReadOnlyList<string>? Values);
