namespace Platform.ConfigRules.Remediation;

/// <summary>What a remediation runs: an SSM document the platform performs, or a function of the <c>functions</c> kind.</summary>
public enum RemediationTargetType
{
    SsmDocument,
    Function,
}

/// <summary>One parameter's value: the non-compliant resource's id, or fixed values.</summary>
/// <param name="FromResourceId">True for <c>ResourceValue</c> <c>RESOURCE_ID</c>.</param>
/// <param name="StaticValues">The <c>StaticValue</c> values; empty when <paramref name="FromResourceId"/>.</param>
public sealed record RemediationParameter(bool FromResourceId, IReadOnlyList<string> StaticValues)
{
    /// <summary>The values for a run on <paramref name="resourceId"/>.</summary>
    public IReadOnlyList<string> Resolve(string resourceId) => FromResourceId ? [resourceId] : StaticValues;
}

/// <summary>
/// A remediation configuration read from its <see cref="RemediationSpec"/> with <c>put_remediation_configurations</c>'
/// rules: what provisioning checks at the door and what the compliance service runs, read by this one parser.
/// </summary>
/// <param name="ConfigRuleName">The rule whose non-compliant resources it fixes.</param>
/// <param name="TargetType">Document or function.</param>
/// <param name="TargetId">The document's name (one of <see cref="RemediationDocuments"/>) or the function's ARN or name.</param>
/// <param name="Document">The document, for <see cref="RemediationTargetType.SsmDocument"/>.</param>
/// <param name="Parameters">The parameters by name (for a document, its defaults filled in).</param>
/// <param name="Automatic">Whether it runs by itself on a NON_COMPLIANT verdict.</param>
/// <param name="MaximumAutomaticAttempts">Attempts before the resource is left flagged.</param>
/// <param name="RetryInterval">Time between attempts.</param>
/// <param name="ResourceType">The resource type it applies to, when given.</param>
public sealed record RemediationConfiguration(
    string ConfigRuleName,
    RemediationTargetType TargetType,
    string TargetId,
    RemediationDocument? Document,
    IReadOnlyDictionary<string, RemediationParameter> Parameters,
    bool Automatic,
    int MaximumAutomaticAttempts,
    TimeSpan RetryInterval,
    string? ResourceType)
{
    /// <summary><c>TargetType</c> as the spec writes it.</summary>
    public const string SsmDocument = "SSM_DOCUMENT";
    public const string Function = "FUNCTION";

    /// <summary>The only <c>ResourceValue</c> AWS takes.</summary>
    public const string ResourceId = "RESOURCE_ID";

    /// <summary>AWS's bounds and defaults.</summary>
    public const int DefaultMaximumAutomaticAttempts = 5;
    public const int MaxAutomaticAttempts = 25;
    public const long DefaultRetryAttemptSeconds = 60;
    public const long MaxRetryAttemptSeconds = 2_678_000;

    /// <summary><see cref="TargetType"/> as AWS spells it (<see cref="SsmDocument"/> or <see cref="Function"/>), as events carry it.</summary>
    public string TargetTypeName => TargetType == RemediationTargetType.Function ? Function : SsmDocument;

    /// <summary>The parameters' values for a run on <paramref name="resourceId"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ResolveParameters(string resourceId) =>
        Parameters.ToDictionary(p => p.Key, p => p.Value.Resolve(resourceId), StringComparer.Ordinal);

    /// <summary>
    /// Reads <paramref name="spec"/> for the rule <paramref name="name"/> (the resource's name; the spec's
    /// <c>ConfigRuleName</c>, when given, must equal it). Each error names its field under the spec and why; the
    /// configuration is null when there is one.
    /// </summary>
    public static (RemediationConfiguration? Configuration, IReadOnlyList<ConfigRuleError> Errors) Parse(string name, RemediationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<ConfigRuleError>();
        void Fail(string field, string reason) => errors.Add(new ConfigRuleError(field, reason));

        if (spec.ConfigRuleName is { } ruleName && ruleName != name)
        {
            Fail("ConfigRuleName", $"'{ruleName}' differs from the resource's name '{name}': a remediation is named after its rule");
        }

        RemediationTargetType? targetType = spec.TargetType switch
        {
            SsmDocument => RemediationTargetType.SsmDocument,
            Function => RemediationTargetType.Function,
            _ => null,
        };
        if (targetType is null)
        {
            Fail("TargetType", spec.TargetType is null
                ? $"is required: {SsmDocument} (a document the platform performs) or {Function} (a function of the functions kind)"
                : $"unknown target type '{spec.TargetType}': use {SsmDocument} or {Function}");
        }

        RemediationDocument? document = null;
        if (string.IsNullOrWhiteSpace(spec.TargetId) || spec.TargetId.Length > 256)
        {
            Fail("TargetId", "is required: the document's name or the function's ARN or name, at most 256 characters");
        }
        else if (targetType == RemediationTargetType.SsmDocument && !RemediationDocuments.All.TryGetValue(spec.TargetId, out document))
        {
            Fail("TargetId", $"'{spec.TargetId}' is not a document the platform performs: use {string.Join(", ", RemediationDocuments.All.Keys)}, or TargetType {Function}");
        }

        var parameters = ReadParameters(spec.Parameters, document, Fail);

        var attempts = spec.MaximumAutomaticAttempts ?? DefaultMaximumAutomaticAttempts;
        if (attempts is < 1 or > MaxAutomaticAttempts)
        {
            Fail("MaximumAutomaticAttempts", $"must be from 1 to {MaxAutomaticAttempts}");
        }
        var retrySeconds = spec.RetryAttemptSeconds ?? DefaultRetryAttemptSeconds;
        if (retrySeconds is < 1 or > MaxRetryAttemptSeconds)
        {
            Fail("RetryAttemptSeconds", $"must be from 1 to {MaxRetryAttemptSeconds}");
        }
        if (spec.ResourceType is { Length: 0 or > 256 })
        {
            Fail("ResourceType", "must be 1 to 256 characters: a resource type such as AWS::S3::Bucket");
        }

        return errors.Count > 0 || targetType is null
            ? (null, errors)
            : (new RemediationConfiguration(name, targetType.Value, spec.TargetId!, document, parameters, spec.Automatic ?? false, attempts,
                TimeSpan.FromSeconds(retrySeconds), spec.ResourceType), []);
    }

    private static Dictionary<string, RemediationParameter> ReadParameters(
        IReadOnlyDictionary<string, RemediationParameterValue>? given, RemediationDocument? document, Action<string, string> fail)
    {
        var parameters = new Dictionary<string, RemediationParameter>(StringComparer.Ordinal);
        foreach (var (name, value) in given ?? new Dictionary<string, RemediationParameterValue>())
        {
            var field = $"Parameters.{name}";
            var definition = document?.Find(name);
            if (document is not null && definition is null)
            {
                fail(field, $"is not a parameter of {document.Name}: it takes {string.Join(", ", document.Parameters.Select(p => p.Name))}");
                continue;
            }
            if (value is null || (value.ResourceValue is null) == (value.StaticValue is null))
            {
                fail(field, "give exactly one of ResourceValue ({\"Value\": \"RESOURCE_ID\"}) and StaticValue ({\"Values\": [...]})");
                continue;
            }
            if (value.ResourceValue is { } resource)
            {
                if (resource.Value != ResourceId)
                {
                    fail($"{field}.ResourceValue.Value", $"'{resource.Value}' is not a resource value: the only one is {ResourceId}");
                    continue;
                }
                parameters[name] = new RemediationParameter(true, []);
                continue;
            }
            var values = value.StaticValue!.Values;
            if (values is null || values.Count == 0 || values.Any(v => v is null))
            {
                fail($"{field}.StaticValue.Values", "is required: at least one value");
                continue;
            }
            if (definition is { AllowedValues.Count: > 0 } && values.FirstOrDefault(v => !definition.AllowedValues.Contains(v)) is { } wrong)
            {
                fail($"{field}.StaticValue.Values", $"'{wrong}' is not a value of {name}: use {string.Join(" or ", definition.AllowedValues)}");
                continue;
            }
            parameters[name] = new RemediationParameter(false, values);
        }
        foreach (var definition in document?.Parameters ?? [])
        {
            if (parameters.ContainsKey(definition.Name) || (given?.ContainsKey(definition.Name) ?? false))
            {
                continue;
            }
            if (definition.Required)
            {
                fail($"Parameters.{definition.Name}", $"is required by {document!.Name}");
            }
            else if (definition.Default is { } defaultValue)
            {
                parameters[definition.Name] = new RemediationParameter(false, [defaultValue]);
            }
        }
        return parameters;
    }
}
