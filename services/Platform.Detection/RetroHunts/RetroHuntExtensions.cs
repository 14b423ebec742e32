namespace Platform.Detection.RetroHunts;

/// <summary>Detection's part of retro-hunts: the API, the hunts' rows and rules, and the consumers of ingestion's stream.</summary>
public static class RetroHuntExtensions
{
    public static IHostApplicationBuilder AddRetroHunts(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformOptions<RetroHuntOptions>(RetroHuntOptions.Section);
        builder.Services.AddSingleton<RetroHuntRules>();
        builder.Services.AddSingleton<RetroHuntEvidence>();
        builder.Services.AddScoped<RetroHuntStore>();
        builder.Services.AddScoped<RetroHuntEnding>();
        return builder;
    }

    public static IBusRegistrationConfigurator AddRetroHuntConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<RetroHuntBatchConsumer, RetroHuntBatchConsumerDefinition>();
        bus.AddConsumer<RetroHuntStreamConsumer>();
        bus.AddConsumer<RetroHuntBatchFaultConsumer>();
        return bus;
    }
}
