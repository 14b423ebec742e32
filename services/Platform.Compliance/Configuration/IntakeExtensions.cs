using MassTransit;
using Platform.Compliance.Timeline;
using Platform.EventSourcing;
using Platform.Quarantine;

namespace Platform.Compliance.Configuration;

/// <summary>Configuration intake's part of the compliance service.</summary>
public static class IntakeExtensions
{
    /// <summary>The events intake appends: each resource's <see cref="ConfigurationItemRecorded"/>, published (rule evaluation consumes them).</summary>
    public static EventTypeRegistry RegisterIntakeEvents(this EventTypeRegistry types) => types.Register<ConfigurationItemRecorded>(publish: true);

    public static IHostApplicationBuilder AddIntake(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformOptions<IntakeOptions>(IntakeOptions.Section);
        builder.Services.AddQuarantine(sp => sp.GetRequiredService<IntakeOptions>(), ComplianceTelemetry.Name);
        builder.Services.AddSingleton<ConfigurationObjects>();
        builder.Services.AddSingleton<ConfigurationDeliveryReader>();
        builder.Services.AddScoped<ConfigurationRecorder>();
        builder.Services.AddScoped<IConfigurationItems, ConfigurationItems>();
        builder.Services.AddScoped<ITimelineSource, ConfigurationTimelineSource>();
        return builder;
    }

    /// <summary>Intake's consumers: CloudTrail calls that change a resource.</summary>
    public static void AddIntakeConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<CloudTrailConfigurationConsumer, CloudTrailConfigurationConsumerDefinition>();
}
