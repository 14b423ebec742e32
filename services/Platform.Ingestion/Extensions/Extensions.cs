using Platform.Database;
using Platform.Ingestion.Api;
using Platform.Ingestion.Kinesis;
using Platform.Ingestion.Queries;
using Platform.Ingestion.RetroHunts;
using Platform.Ingestion.SavedQueries;
using Platform.Ingestion.SqlQueries;

namespace Platform.Ingestion.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddIngestionServices(this IHostApplicationBuilder builder)
    {
        // The raw log store is no event stream: the database alone, no event store (LogEventPublisher says why it is its own outbox).
        builder.AddServiceDatabase<RawLogStore>(PlatformResources.IngestionDb, PlatformResources.Ingestion);

        builder.AddPlatformOptions<IngestionOptions>(IngestionOptions.Section);
        builder.Services.AddSingleton<IngestionTelemetry>();
        builder.Services.AddSingleton<LogPartitions>();
        builder.Services.AddSingleton<RawLogStore>();
        builder.Services.AddSingleton<LogEventReader>();
        builder.Services.AddQuarantine(sp => sp.GetRequiredService<IngestionOptions>(), IngestionTelemetry.Name);
        builder.Services.AddSingleton<LogRetention>();
        builder.Services.AddSingleton<LogEventPublisher>();
        builder.Services.AddSingleton<ILogIngestor, LogIngestor>();
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, FirehoseAuthenticationHandler>(FirehoseAuthenticationHandler.SchemeName, null);
        builder.Services.AddSingleton<UnpublishedEventSweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<UnpublishedEventSweeper>());
        builder.Services.AddHostedService<RetentionJob>();
        builder.AddKinesisIngestion();
        builder.AddQueryRuns();
        builder.AddSqlQueries();
        builder.AddRetroHuntStreaming();
        builder.AddSavedQueries();
        return builder;
    }

    /// <summary>The service's consumers; pass to <c>AddServiceDefaults</c>.</summary>
    public static void AddIngestionConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<LogGroupRetentionConsumer>();
        bus.AddKinesisSourceEvents();
        bus.AddSqlQueryConsumers();
        bus.AddRetroHuntConsumers();
        bus.AddSavedQueryConsumers();
    }

    public static WebApplication MapIngestionApi(this WebApplication app)
    {
        app.MapIngestApi();
        app.MapFirehoseApi();
        app.MapEventsApi();
        app.MapQuarantineApi();
        app.MapSqlQueriesApi();
        app.MapInsightsQueriesApi();
        app.MapSavedQueriesApi();
        return app;
    }
}
