using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Platform.EventSourcing.Migrations;
using Platform.EventSourcing.Outbox;
using Platform.EventSourcing.Storage;

namespace Platform.EventSourcing;

public static class EventStoreExtensions
{
    /// <summary>
    /// The service's database: its DbContext (which holds the event store), migrations run before the
    /// service takes traffic, the outbox relay, and a readiness check.
    /// </summary>
    /// <param name="connectionName">The connection string's name, which is also the database's (e.g. <c>ingestiondb</c>).</param>
    public static IHostApplicationBuilder AddEventStore<TContext>(
        this IHostApplicationBuilder builder, string connectionName, Action<EventStoreOptions> configure)
        where TContext : EventStoreDbContext
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} is not set: give the service database's Npgsql connection string (the AppHost sets it).");

        var options = new EventStoreOptions { ConnectionString = connectionString };
        configure(options);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.Types);

        var dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString);
        dataSourceBuilder.EnableDynamicJson();
        var dataSource = dataSourceBuilder.Build();
        builder.Services.AddSingleton(dataSource);

        builder.Services.AddDbContext<TContext>(db => db.UseNpgsql(dataSource));
        builder.Services.AddScoped<EventStoreDbContext>(sp => sp.GetRequiredService<TContext>());
        builder.Services.AddScoped<EventStore>();

        // Registered before anything else that touches the database: hosted services start in order.
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddHostedService<MigrationHostedService>();

        builder.Services.AddSingleton<IOutboxPublisher, BusOutboxPublisher>();
        builder.Services.AddSingleton<OutboxRelay>();
        if (options.RelayEnabled)
        {
            builder.Services.AddHostedService<OutboxRelayService>();
        }

        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return builder;
    }
}

internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1 FROM schema_migrations LIMIT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("The service database is not reachable or not migrated.", ex);
        }
    }
}
