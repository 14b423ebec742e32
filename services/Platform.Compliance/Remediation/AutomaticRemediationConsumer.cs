using MassTransit;
using Npgsql;
using Microsoft.Extensions.Logging;
using Platform.ConfigRules;

namespace Platform.Compliance.Remediation;

/// <summary>
/// Starts a rule's automatic remediation when the rule finds a resource NON_COMPLIANT. The verdict's version is
/// recorded with the execution, so a redelivered <see cref="ComplianceChanged"/> starts nothing twice. Competing
/// consumers: instances share the queue, and the execution's row lock orders two verdicts on one resource.
/// </summary>
public sealed partial class AutomaticRemediationConsumer(
    LiveRemediations configurations, RemediationExecutions executions, RemediationSignal signal, ILogger<AutomaticRemediationConsumer> logger)
    : IConsumer<ComplianceChanged>
{
    public async Task Consume(ConsumeContext<ComplianceChanged> context)
    {
        var changed = context.Message;
        if (changed.NewComplianceType != ComplianceTypes.NonCompliant
            || configurations.Find(changed.ConfigRuleName) is not { Automatic: true } configuration)
        {
            return;
        }
        var resource = new RemediationResource(changed.ResourceType, changed.ResourceId, changed.AwsAccountId, changed.AwsRegion);
        switch (await executions.RequestAsync(configuration, resource, changed.Version, actor: null, context.CancellationToken))
        {
            case RemediationRequestOutcome.Queued:
                signal.Wake();
                LogQueued(changed.ConfigRuleName, changed.ResourceType, changed.ResourceId, changed.Version);
                break;
            case RemediationRequestOutcome.Held:
                LogHeld(changed.ConfigRuleName, changed.ResourceType, changed.ResourceId, configuration.MaximumAutomaticAttempts);
                break;
        }
    }

    [LoggerMessage(LogLevel.Information, "Automatic remediation of {ResourceType} {ResourceId} by rule {ConfigRuleName} queued (verdict {Version})")]
    private partial void LogQueued(string configRuleName, string resourceType, string resourceId, long version);

    [LoggerMessage(LogLevel.Warning,
        "{ResourceType} {ResourceId} is NON_COMPLIANT with rule {ConfigRuleName} again, but its {MaximumAutomaticAttempts} automatic attempts of the window are spent: it stays non-compliant, flagged")]
    private partial void LogHeld(string configRuleName, string resourceType, string resourceId, int maximumAutomaticAttempts);
}

/// <summary>
/// Retries what concurrency and the database's passing faults cause: two verdicts on a resource that has no execution
/// yet both create its stream, and the second, retried, finds the first's row.
/// </summary>
public sealed class AutomaticRemediationConsumerDefinition : ConsumerDefinition<AutomaticRemediationConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<AutomaticRemediationConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseWriteConflictRetry();
    }
}
