using MassTransit;
using Platform.Compliance.Timeline;
using Platform.Contracts.Provisioning;
using Platform.EventSourcing;
using Platform.Messaging;

namespace Platform.Compliance.Remediation;

/// <summary>Remediation's part of the compliance service: live configurations, automatic and manual execution, the timeline entries.</summary>
public static class RemediationExtensions
{
    /// <summary>Verdicts that start automatic remediation (competing); remediation changes (per instance).</summary>
    public static void AddRemediationConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<AutomaticRemediationConsumer, AutomaticRemediationConsumerDefinition>();
        // Every instance must run remediations with the same configurations.
        bus.AddLiveConfigurationConsumer<LiveRemediations, RemediationSpec, RemediationProvisioned, RemediationDeleted>();
    }

    public static EventTypeRegistry RegisterRemediationEvents(this EventTypeRegistry types) =>
        types
            .Register<RemediationQueued>(publish: false)
            .Register<RemediationAttemptStarted>(publish: false)
            .Register<RemediationHeld>(publish: false)
            .Register<RemediationCompleted>(publish: true)
            .Register<RemediationFailed>(publish: true);

    /// <summary>Remediation's services and runner.</summary>
    public static IHostApplicationBuilder AddRemediation(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformOptions<RemediationOptions>(RemediationOptions.Section);
        builder.Services.AddSingleton<RemediationSignal>();
        builder.Services.AddSingleton<LiveRemediations>();
        builder.Services.AddLiveConfiguration<LiveRemediations, RemediationSpec>(ProvisioningKinds.Remediations);
        builder.Services.AddScoped<RemediationExecutions>();
        builder.Services.AddSingleton<RemediationTargets>();
        builder.Services.AddHostedService<RemediationRunner>();
        builder.Services.AddScoped<ITimelineSource, RemediationTimeline>();
        return builder;
    }
}
