using System.Text.Json.Nodes;
using Platform.Contracts.Provisioning;

namespace Platform.Compliance.Remediation;

/// <summary>
/// A remediation configuration read from its <see cref="RemediationSpec"/> into what execution needs: the target, the
/// parameters, whether it runs by itself, and its attempt budget with AWS's defaults filled in. Provisioning validates
/// specs at the door; this is the one place the compliance service reads them (to be replaced by the rules part's
/// parser in Platform.ConfigRules when it lands).
/// </summary>
/// <param name="ConfigRuleName">The rule whose non-compliant resources it fixes.</param>
/// <param name="TargetType"><see cref="RemediationTargetTypes.SsmDocument"/> or <see cref="RemediationTargetTypes.Function"/>.</param>
/// <param name="TargetId">The document's name or the function's ARN or name.</param>
/// <param name="Parameters">Each parameter's source: the resource's id or static values.</param>
/// <param name="Automatic">Whether a NON_COMPLIANT verdict starts it by itself.</param>
/// <param name="MaximumAutomaticAttempts">Automatic attempts per resource within the attempt window.</param>
/// <param name="RetryInterval">The wait before a failed automatic attempt is tried again.</param>
public sealed record RemediationConfiguration(
    string ConfigRuleName,
    string TargetType,
    string TargetId,
    IReadOnlyDictionary<string, RemediationParameter> Parameters,
    bool Automatic,
    int MaximumAutomaticAttempts,
    TimeSpan RetryInterval)
{
    /// <summary>AWS's default when <c>MaximumAutomaticAttempts</c> is absent.</summary>
    public const int DefaultMaximumAutomaticAttempts = 5;

    /// <summary>AWS's default when <c>RetryAttemptSeconds</c> is absent.</summary>
    public const long DefaultRetryAttemptSeconds = 60;

    /// <summary>The value of a <c>ResourceValue</c> parameter: the non-compliant resource's id.</summary>
    public const string ResourceIdValue = "RESOURCE_ID";

    /// <summary>Reads the spec of the remediation named <paramref name="name"/> (its rule's name).</summary>
    /// <exception cref="ArgumentException">The spec is not one the service can run; the message names the field.</exception>
    public static RemediationConfiguration Parse(string name, RemediationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.ConfigRuleName is { } rule && rule != name)
        {
            throw new ArgumentException($"ConfigRuleName: '{rule}' is not the remediation's name '{name}'");
        }
        var targetType = spec.TargetType switch
        {
            RemediationTargetTypes.SsmDocument or RemediationTargetTypes.Function => spec.TargetType,
            _ => throw new ArgumentException($"TargetType: must be {RemediationTargetTypes.SsmDocument} or {RemediationTargetTypes.Function}"),
        };
        if (string.IsNullOrWhiteSpace(spec.TargetId))
        {
            throw new ArgumentException("TargetId: is required");
        }
        if (targetType == RemediationTargetTypes.SsmDocument && spec.TargetId != RemediationTargetTypes.EnableS3BucketEncryption)
        {
            throw new ArgumentException($"TargetId: the platform performs the SSM document {RemediationTargetTypes.EnableS3BucketEncryption} only");
        }
        var parameters = new Dictionary<string, RemediationParameter>(StringComparer.Ordinal);
        foreach (var (parameter, value) in spec.Parameters ?? new Dictionary<string, RemediationParameterValue>())
        {
            parameters[parameter] = (value?.ResourceValue, value?.StaticValue) switch
            {
                ({ Value: ResourceIdValue }, null) => new RemediationParameter(FromResourceId: true, []),
                (null, { Values: { Count: > 0 } values }) => new RemediationParameter(FromResourceId: false, values),
                _ => throw new ArgumentException(
                    $"Parameters.{parameter}: needs either ResourceValue {{\"Value\": \"{ResourceIdValue}\"}} or StaticValue with Values"),
            };
        }
        var attempts = spec.MaximumAutomaticAttempts ?? DefaultMaximumAutomaticAttempts;
        if (attempts is < 1 or > 25)
        {
            throw new ArgumentException("MaximumAutomaticAttempts: must be from 1 to 25");
        }
        var retrySeconds = spec.RetryAttemptSeconds ?? DefaultRetryAttemptSeconds;
        if (retrySeconds is < 1 or > 2_678_000)
        {
            throw new ArgumentException("RetryAttemptSeconds: must be from 1 to 2678000");
        }
        return new RemediationConfiguration(
            name, targetType, spec.TargetId, parameters, spec.Automatic ?? false, attempts, TimeSpan.FromSeconds(retrySeconds));
    }

    /// <summary>
    /// The parameters for <paramref name="resourceId"/>: <c>RESOURCE_ID</c> becomes the id, a single static value a
    /// string, several a list (as SSM's StringList parameters take them).
    /// </summary>
    public JsonObject ResolveParameters(string resourceId)
    {
        var resolved = new JsonObject();
        foreach (var (name, parameter) in Parameters)
        {
            resolved[name] = parameter switch
            {
                { FromResourceId: true } => JsonValue.Create(resourceId),
                { StaticValues: [var single] } => JsonValue.Create(single),
                _ => new JsonArray([.. parameter.StaticValues.Select(v => (JsonNode?)JsonValue.Create(v))]),
            };
        }
        return resolved;
    }
}

/// <summary>Where one parameter's value comes from.</summary>
/// <param name="FromResourceId">True for <c>ResourceValue</c> <c>RESOURCE_ID</c>.</param>
/// <param name="StaticValues">The <c>StaticValue</c> values otherwise.</param>
public sealed record RemediationParameter(bool FromResourceId, IReadOnlyList<string> StaticValues);

/// <summary>The targets a remediation can name.</summary>
public static class RemediationTargetTypes
{
    public const string SsmDocument = "SSM_DOCUMENT";
    public const string Function = "FUNCTION";

    /// <summary>The SSM document the platform performs itself, through S3's PutBucketEncryption.</summary>
    public const string EnableS3BucketEncryption = "AWS-EnableS3BucketEncryption";
}
