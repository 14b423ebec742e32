using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Logging;
using Platform.ConfigRules.Remediation;
using Platform.Contracts.Provisioning;
using Platform.Messaging;

namespace Platform.Compliance.Remediation;

/// <summary>
/// The remediation configurations this instance runs, applied live from provisioning's events and the start-up
/// catch-up, each change only when its version is newer. A deletion is remembered, so an attempt due for a deleted
/// remediation ends instead of waiting for a configuration that is not coming.
/// </summary>
public sealed partial class LiveRemediations(ProvisionedResourceVersions versions, RemediationSignal signal, ILogger<LiveRemediations> logger)
{
    private readonly ConcurrentDictionary<string, RemediationConfiguration> _byRule = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _deleted = new(StringComparer.Ordinal);

    /// <summary>The rule's remediation; null when it has none (or none this instance has heard of yet).</summary>
    public RemediationConfiguration? Find(string configRuleName) => _byRule.GetValueOrDefault(configRuleName);

    /// <summary>Whether the rule's remediation was deleted (and not provisioned again since).</summary>
    public bool IsDeleted(string configRuleName) => _deleted.ContainsKey(configRuleName);

    public void Apply(RemediationProvisioned provisioned)
    {
        if (!versions.TryAdvance(ProvisioningKinds.Remediations, provisioned.Name, provisioned.Version))
        {
            return;
        }
        var (configuration, errors) = RemediationConfiguration.Parse(provisioned.Name, provisioned.Spec);
        if (configuration is null)
        {
            // Provisioning validates at the door with the same parser; a spec this version cannot read is left out, loudly.
            _byRule.TryRemove(provisioned.Name, out _);
            LogRejected(provisioned.Name, provisioned.Version, string.Join("; ", errors.Select(e => $"{e.Field}: {e.Reason}")));
            return;
        }
        _byRule[provisioned.Name] = configuration;
        _deleted.TryRemove(provisioned.Name, out _);
        LogApplied(provisioned.Name, provisioned.Version);
        // Attempts that waited for this configuration may run now.
        signal.Wake();
    }

    public void Apply(RemediationDeleted deleted)
    {
        if (versions.TryAdvance(ProvisioningKinds.Remediations, deleted.Name, deleted.Version))
        {
            _byRule.TryRemove(deleted.Name, out _);
            _deleted[deleted.Name] = deleted.Version;
            signal.Wake();
        }
    }

    [LoggerMessage(LogLevel.Information, "Remediation of rule {ConfigRuleName} applied (version {Version})")]
    private partial void LogApplied(string configRuleName, long version);

    [LoggerMessage(LogLevel.Error, "Remediation of rule {ConfigRuleName} (version {Version}) was not applied: {Reason}")]
    private partial void LogRejected(string configRuleName, long version, string reason);
}

/// <summary>
/// Applies remediation changes as provisioning makes them. Bound to a temporary queue per instance: every instance
/// runs remediations the same way, so each hears every change.
/// </summary>
public sealed class ProvisionedRemediationsConsumer(LiveRemediations remediations) :
    IConsumer<RemediationProvisioned>, IConsumer<RemediationDeleted>
{
    public Task Consume(ConsumeContext<RemediationProvisioned> context)
    {
        remediations.Apply(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<RemediationDeleted> context)
    {
        remediations.Apply(context.Message);
        return Task.CompletedTask;
    }
}

/// <summary>Wakes the runner when an attempt was queued (or a configuration it waited for arrived), so it does not wait for the next poll.</summary>
public sealed class RemediationSignal : WakeSignal;
