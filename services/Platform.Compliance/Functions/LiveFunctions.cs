using System.Collections.Concurrent;
using MassTransit;
using Platform.Contracts.Alerting;
using Platform.Contracts.Provisioning;
using Platform.Messaging;

namespace Platform.Compliance.Functions;

/// <summary>
/// The provisioned functions this instance knows (the <c>functions</c> kind), applied live from provisioning's events,
/// each change only when its version is newer.
/// </summary>
public sealed class LiveFunctions(ProvisionedResourceVersions versions)
{
    private readonly ConcurrentDictionary<string, FunctionSpec> _functions = new(StringComparer.Ordinal);

    /// <summary>The function <paramref name="function"/> names (a Lambda ARN or a bare name), or null with why not.</summary>
    public (string Name, FunctionSpec Spec)? Resolve(string function, out string? reason)
    {
        var name = function;
        if (function.StartsWith("arn:", StringComparison.Ordinal))
        {
            if (DeliveryTarget.Parse(function, out reason) is not { Kind: DeliveryTargetKind.Function } target)
            {
                reason ??= "is not a Lambda function's ARN";
                return null;
            }
            name = target.Name;
        }
        reason = null;
        if (_functions.TryGetValue(name, out var spec))
        {
            return (name, spec);
        }
        reason = $"no function named '{name}' is provisioned";
        return null;
    }

    public void Apply(FunctionProvisioned provisioned)
    {
        if (versions.TryAdvance(ProvisioningKinds.Functions, provisioned.Name, provisioned.Version))
        {
            _functions[provisioned.Name] = provisioned.Spec;
        }
    }

    public void Apply(FunctionDeleted deleted)
    {
        if (versions.TryAdvance(ProvisioningKinds.Functions, deleted.Name, deleted.Version))
        {
            _functions.TryRemove(deleted.Name, out _);
        }
    }
}

/// <summary>Applies function changes as provisioning makes them; every instance hears each (a temporary queue per instance).</summary>
public sealed class ProvisionedFunctionsConsumer(LiveFunctions functions) : IConsumer<FunctionProvisioned>, IConsumer<FunctionDeleted>
{
    public Task Consume(ConsumeContext<FunctionProvisioned> context)
    {
        functions.Apply(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<FunctionDeleted> context)
    {
        functions.Apply(context.Message);
        return Task.CompletedTask;
    }
}
