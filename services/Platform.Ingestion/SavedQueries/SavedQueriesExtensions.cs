using Platform.Messaging;

namespace Platform.Ingestion.SavedQueries;

public static class SavedQueriesExtensions
{
    /// <summary>Saved queries: the provisioned ones, applied live, listed and run by name on <c>/v1/saved-queries</c>.</summary>
    public static IHostApplicationBuilder AddSavedQueries(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LiveSavedQueries>();
        builder.Services.AddLiveConfiguration<LiveSavedQueries, SavedQuerySpec>(ProvisioningKinds.SavedQueries);
        return builder;
    }

    /// <summary>Every instance hears every saved query change: each runs a name as the others do.</summary>
    public static void AddSavedQueryConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddLiveConfigurationConsumer<LiveSavedQueries, SavedQuerySpec, SavedQueryProvisioned, SavedQueryDeleted>();
}
