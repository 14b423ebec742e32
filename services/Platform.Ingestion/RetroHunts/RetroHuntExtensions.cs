using Platform.Messaging;

namespace Platform.Ingestion.RetroHunts;

/// <summary>Ingestion's part of retro-hunts: streaming stored events of a range to detection.</summary>
public static class RetroHuntExtensions
{
    public static IHostApplicationBuilder AddRetroHuntStreaming(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RetroHuntEventReader>();
        builder.Services.AddSingleton<RetroHuntCancellations>();
        return builder;
    }

    public static IBusRegistrationConfigurator AddRetroHuntConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<RetroHuntStreamer, RetroHuntStreamerDefinition>();
        // Whichever instance streams the hunt must hear that it was cancelled.
        bus.AddInstanceConsumer<RetroHuntCancelledConsumer>();
        return bus;
    }
}
