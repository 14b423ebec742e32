using Platform.ConfigRules;

namespace Platform.Provisioning.Kinds;

/// <summary>
/// <c>config-rules</c>: AWS Config rules as <c>put_config_rule</c> takes its <c>ConfigRule</c>, checked at the door with
/// <see cref="ConfigRuleCompiler"/>, the compiler the compliance service runs them with. The resource's name is the
/// rule's name.
/// </summary>
public sealed class ConfigRuleKind() : ResourceKind<ConfigRuleSpec>(ProvisioningKinds.ConfigRules, (n, s, v) => new ConfigRuleProvisioned(n, s, v), (n, v) => new ConfigRuleDeleted(n, v))
{
    /// <summary>Checked under the name the spec gives (the resource's name is checked in <see cref="ValidateNamed"/>).</summary>
    protected override ConfigRuleSpec Validate(ConfigRuleSpec spec, string field, ValidationErrors errors)
    {
        Report(ConfigRuleCompiler.Compile(spec.ConfigRuleName ?? "unnamed", spec, ValidationOnly.Invoker).Errors, field, errors);
        return spec;
    }

    public override void ValidateNamed(string name, object spec, string field, ValidationErrors errors) =>
        Report(ConfigRuleCompiler.Compile(name, (ConfigRuleSpec)spec, ValidationOnly.Invoker).Errors, field, errors);

    internal static void Report(IEnumerable<ConfigRuleError> problems, string field, ValidationErrors errors)
    {
        foreach (var problem in problems)
        {
            errors.Add(ValidationErrors.Field(field, problem.Field), problem.Reason);
        }
    }

    /// <summary>Compiling at the door runs nothing: a <c>CUSTOM_LAMBDA</c> rule's function is never called here.</summary>
    private sealed class ValidationOnly : IConfigRuleFunctionInvoker
    {
        public static readonly ValidationOnly Invoker = new();

        public Task<IReadOnlyList<RuleEvaluation>> InvokeAsync(string function, ConfigRuleInvocation invocation, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Provisioning validates config rules; it never runs them.");
    }
}
