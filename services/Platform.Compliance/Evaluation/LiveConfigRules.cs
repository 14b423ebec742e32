using System.Collections.Concurrent;
using Platform.ConfigRules;
using Platform.Contracts.Provisioning;

namespace Platform.Compliance.Evaluation;

/// <summary>Compiles a provisioned spec into a rule: the one place the compliance service calls <see cref="ConfigRuleCompiler.Compile"/>.</summary>
public interface IConfigRuleCompiler
{
    ConfigRuleCompilation Compile(string name, ConfigRuleSpec spec);
}

/// <summary>The rules library's compiler, with the service's function invoker for <c>CUSTOM_LAMBDA</c> rules.</summary>
public sealed class LibraryConfigRuleCompiler(IConfigRuleFunctionInvoker functions) : IConfigRuleCompiler
{
    public ConfigRuleCompilation Compile(string name, ConfigRuleSpec spec) => ConfigRuleCompiler.Compile(name, spec, functions);
}

/// <summary>A rule as this instance holds it: compiled at <paramref name="Version"/>, or why it could not be.</summary>
public sealed record LiveConfigRule(string Name, long Version, IConfigRule? Rule, string? Error);

/// <summary>
/// The config rules this instance evaluates with, compiled from provisioning's changes as they arrive (every instance
/// hears each one). A rule that does not compile is kept with its error, so a run of it fails visibly.
/// </summary>
public sealed partial class LiveConfigRules(IConfigRuleCompiler compiler, ILogger<LiveConfigRules> logger)
{
    private readonly ConcurrentDictionary<string, LiveConfigRule> _rules = new(StringComparer.Ordinal);

    /// <summary>The compiled rules.</summary>
    public IEnumerable<IConfigRule> Rules => _rules.Values.Select(r => r.Rule).OfType<IConfigRule>();

    public LiveConfigRule? Find(string name) => _rules.GetValueOrDefault(name);

    public void Apply(string name, ConfigRuleSpec spec, long version)
    {
        IConfigRule? rule = null;
        string? error;
        try
        {
            var compilation = compiler.Compile(name, spec);
            rule = compilation.Rule;
            error = compilation.Errors.Count == 0 ? null : string.Join("; ", compilation.Errors.Select(e => $"{e.Field}: {e.Reason}"));
        }
        catch (Exception ex)
        {
            // Provisioning validates with the same compiler; a rule this version cannot compile is left out, loudly.
            error = ex.Message;
        }
        if (rule is null)
        {
            LogNotCompiled(name, error ?? "no rule");
        }
        _rules[name] = new LiveConfigRule(name, version, rule, rule is null ? error ?? "no rule" : null);
    }

    public void Remove(string name) => _rules.TryRemove(name, out _);

    [LoggerMessage(LogLevel.Error, "Config rule {Name} was not applied: {Reason}")]
    private partial void LogNotCompiled(string name, string reason);
}
