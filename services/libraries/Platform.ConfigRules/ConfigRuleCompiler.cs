namespace Platform.ConfigRules;

/// <summary>
/// Compiles a <see cref="ConfigRuleSpec"/> into an <see cref="IConfigRule"/>, or says, field by field, why it cannot:
/// provisioning calls it to validate at the door, the compliance service to run the rule. The checks are
/// <c>put_config_rule</c>'s, so a spec AWS refuses is refused here with the field AWS would name.
/// </summary>
public static class ConfigRuleCompiler
{
    /// <summary>AWS's limits on a config rule.</summary>
    public const int MaxNameLength = 128;
    public const int MaxDescriptionLength = 256;

    /// <summary>The owners <c>put_config_rule</c> takes (<c>CUSTOM_POLICY</c> runs Sigma or a built-in policy here).</summary>
    public const string AwsOwner = "AWS";
    public const string LambdaOwner = "CUSTOM_LAMBDA";
    public const string PolicyOwner = "CUSTOM_POLICY";

    /// <summary>Compiles <paramref name="spec"/> named <paramref name="name"/>; <paramref name="functions"/> runs <c>CUSTOM_LAMBDA</c> rules.</summary>
    public static ConfigRuleCompilation Compile(string name, ConfigRuleSpec spec, IConfigRuleFunctionInvoker functions)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(functions);
        var errors = new List<ConfigRuleError>();
        void Fail(string field, string reason) => errors.Add(new ConfigRuleError(field, reason));

        if (name.Length is 0 or > MaxNameLength)
        {
            Fail("ConfigRuleName", $"must be 1 to {MaxNameLength} characters");
        }
        else if (spec.ConfigRuleName is { } ruleName && ruleName != name)
        {
            Fail("ConfigRuleName", $"'{ruleName}' differs from the resource's name '{name}': they name the same rule");
        }
        if (spec.Description is { Length: > MaxDescriptionLength })
        {
            Fail("Description", $"is {spec.Description.Length} characters long: at most {MaxDescriptionLength}");
        }

        var parameters = RuleParameters.Read(spec.InputParameters, Fail);
        var scope = RuleScope.Read(spec.Scope, Fail);
        var frequency = ExecutionFrequencies.Read(spec.MaximumExecutionFrequency, "MaximumExecutionFrequency", Fail);

        var source = spec.Source;
        IConfigRule? rule = null;
        switch (source?.Owner)
        {
            case null when source is null:
                Fail("Source", $"is required: {{\"Owner\": \"{AwsOwner}\", \"SourceIdentifier\": \"<managed rule>\"}}, a {LambdaOwner} or a {PolicyOwner} source");
                break;
            case null:
                Fail("Source.Owner", $"is required: {AwsOwner}, {LambdaOwner} or {PolicyOwner}");
                break;
            case AwsOwner:
                rule = ManagedConfigRule.Compile(name, spec, source, parameters, scope, frequency, Fail);
                break;
            case LambdaOwner:
                rule = FunctionConfigRule.Compile(name, spec, source, parameters, scope, frequency, functions, Fail);
                break;
            case PolicyOwner:
                rule = PolicyConfigRule.Compile(name, spec, source, parameters, scope, frequency, Fail);
                break;
            default:
                Fail("Source.Owner", $"unknown owner '{source.Owner}': use {AwsOwner}, {LambdaOwner} or {PolicyOwner}");
                break;
        }

        return errors.Count == 0 && rule is not null ? new ConfigRuleCompilation(rule, []) : new ConfigRuleCompilation(null, errors);
    }
}

/// <summary>A compiled rule, or the errors that kept it from compiling.</summary>
/// <param name="Rule">The rule; null when <paramref name="Errors"/> is not empty.</param>
/// <param name="Errors">Each error's field (a JSON path under the spec, <c>Source.SourceIdentifier</c>) and reason.</param>
public sealed record ConfigRuleCompilation(IConfigRule? Rule, IReadOnlyList<ConfigRuleError> Errors);

/// <summary>Why a spec does not compile, and where.</summary>
public sealed record ConfigRuleError(string Field, string Reason);
