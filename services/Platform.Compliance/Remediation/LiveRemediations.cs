using System.Collections.Concurrent;
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
    : LiveResources<RemediationSpec, RemediationConfiguration>(ProvisioningKinds.Remediations, versions)
{
    private readonly ConcurrentDictionary<string, long> _deleted = new(StringComparer.Ordinal);

    /// <summary>Whether the rule's remediation was deleted (and not provisioned again since).</summary>
    public bool IsDeleted(string configRuleName) => _deleted.ContainsKey(configRuleName);

    protected override RemediationConfiguration? Compile(string name, RemediationSpec spec, long version)
    {
        var (configuration, errors) = RemediationConfiguration.Parse(name, spec);
        if (configuration is null)
        {
            // Provisioning validates at the door with the same parser; a spec this version cannot read is left out, loudly.
            LogRejected(name, version, string.Join("; ", errors.Select(e => $"{e.Field}: {e.Reason}")));
        }
        return configuration;
    }

    protected override void Upsert(string name, RemediationSpec spec, long version)
    {
        base.Upsert(name, spec, version);
        if (Find(name) is null)
        {
            return;
        }
        _deleted.TryRemove(name, out _);
        LogApplied(name, version);
        // Attempts that waited for this configuration may run now.
        signal.Wake();
    }

    protected override void Remove(string name, long version)
    {
        base.Remove(name, version);
        _deleted[name] = version;
        signal.Wake();
    }

    [LoggerMessage(LogLevel.Information, "Remediation of rule {ConfigRuleName} applied (version {Version})")]
    private partial void LogApplied(string configRuleName, long version);

    [LoggerMessage(LogLevel.Error, "Remediation of rule {ConfigRuleName} (version {Version}) was not applied: {Reason}")]
    private partial void LogRejected(string configRuleName, long version, string reason);
}

/// <summary>Wakes the runner when an attempt was queued (or a configuration it waited for arrived), so it does not wait for the next poll.</summary>
public sealed class RemediationSignal : WakeSignal;
