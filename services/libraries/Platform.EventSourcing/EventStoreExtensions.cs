using Microsoft.Extensions.DependencyInjection;
using Platform.EventSourcing.Outbox;

namespace Platform.EventSourcing;

public static class EventStoreExtensions
{
    /// <summary>
    /// Event streams in the service database (added first with <c>AddServiceDatabase</c>): the event store's tables,
    /// the service's DbContext that holds them beside its read models, and the outbox relay that publishes what is appended.
    /// </summary>
    public static IHostApplicationBuilder AddEventStore<TContext>(
        this IHostApplicationBuilder builder, DatabaseOptions database, Action<EventStoreOptions>? configure = null)
        where TContext : EventStoreDbContext
    {
        var options = new EventStoreOptions();
        configure?.Invoke(options);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.Types);

        // The store's own tables come before the service's scripts, which may refer to them.
        database.Migrations.InsertRange(0, EventStoreOptions.Migrations);
        database.DataSource.Add(dataSource => dataSource.EnableDynamicJson());

        builder.Services.AddDbContext<TContext>((sp, db) => db.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()).UseSnakeCaseNamingConvention());
        builder.Services.AddScoped<EventStoreDbContext>(sp => sp.GetRequiredService<TContext>());
        builder.Services.AddScoped<EventStore>();

        builder.Services.AddSingleton<IOutboxPublisher, BusOutboxPublisher>();
        builder.Services.AddSingleton<OutboxRelay>();
        if (options.RelayEnabled)
        {
            builder.Services.AddHostedService<OutboxRelayService>();
        }
        return builder;
    }
}
