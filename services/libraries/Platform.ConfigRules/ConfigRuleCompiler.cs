namespace Platform.ConfigRules;

/// <summary>
/// Compiles a <see cref="ConfigRuleSpec"/> into an <see cref="IConfigRule"/>, or says, field by field, why it cannot:
/// provisioning calls it to validate at the door, the compliance service to run the rule.
/// </summary>
public static class ConfigRuleCompiler
{
    /// <summary>Compiles <paramref name="spec"/> named <paramref name="name"/>; <paramref name="functions"/> runs <c>CUSTOM_LAMBDA</c> rules.</summary>
    public static ConfigRuleCompilation Compile(string name, ConfigRuleSpec spec, IConfigRuleFunctionInvoker functions) =>
        throw new NotImplementedException("The rules part of issue 13 replaces this seam.");
}

/// <summary>A compiled rule, or the errors that kept it from compiling.</summary>
/// <param name="Rule">The rule; null when <paramref name="Errors"/> is not empty.</param>
/// <param name="Errors">Each error's field (a JSON path under the spec, <c>Source.SourceIdentifier</c>) and reason.</param>
public sealed record ConfigRuleCompilation(IConfigRule? Rule, IReadOnlyList<ConfigRuleError> Errors);

/// <summary>Why a spec does not compile, and where.</summary>
public sealed record ConfigRuleError(string Field, string Reason);
