using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Database;

public static class ServiceDatabaseExtensions
{
    /// <summary>
    /// The service's own database with the migration scripts embedded in <typeparamref name="TService"/>'s assembly
    /// under <paramref name="migrationScope"/> (see <see cref="MigrationScript.FromAssembly"/>).
    /// </summary>
    /// <param name="connectionName">The connection string's name, which is also the database's (e.g. <c>ingestiondb</c>).</param>
    /// <param name="migrationScope">The scope of the service's scripts, its name.</param>
    public static DatabaseOptions AddServiceDatabase<TService>(this IHostApplicationBuilder builder, string connectionName, string migrationScope) =>
        builder.AddServiceDatabase(connectionName, db => db.Migrations.AddRange(MigrationScript.FromAssembly(typeof(TService).Assembly, migrationScope)));

    /// <summary>
    /// The service's own database: one <see cref="NpgsqlDataSource"/>, the migrations (run before the service takes
    /// traffic) and a readiness check. A service that keeps event streams adds <c>AddEventStore</c> on top.
    /// </summary>
    /// <param name="connectionName">The connection string's name, which is also the database's (e.g. <c>ingestiondb</c>).</param>
    /// <param name="configure">Adds the service's migration scripts (and sets up the data source, where it needs more).</param>
    public static DatabaseOptions AddServiceDatabase(
        this IHostApplicationBuilder builder, string connectionName, Action<DatabaseOptions>? configure = null)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} is not set: give the service database's Npgsql connection string (the AppHost sets it).");

        var options = new DatabaseOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        builder.Services.AddSingleton(options);

        // Built on first use, so a library (the event store) can still configure the builder after this call.
        builder.Services.AddSingleton(_ =>
        {
            var dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString);
            // No JIT compilation: the services' statements are short and run thousands of times, and a read whose
            // estimated cost passed jit_above_cost was compiled again on every call (detection's window reads: the
            // correlating stage 2.5 s a batch with it, 0.15 s without). Appended to any options the connection string has.
            var connection = dataSourceBuilder.ConnectionStringBuilder;
            connection.Options = string.IsNullOrWhiteSpace(connection.Options) ? "-c jit=off" : $"{connection.Options} -c jit=off";
            foreach (var step in options.DataSource)
            {
                step(dataSourceBuilder);
            }
            return dataSourceBuilder.Build();
        });

        // Registered before anything else that touches the database: hosted services start in order.
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddHostedService<MigrationHostedService>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return options;
    }
}

/// <summary>The service database: where it is, its migrations, and how its data source is built.</summary>
public sealed class DatabaseOptions
{
    public required string ConnectionString { get; init; }

    /// <summary>Applied in order; each script once per database.</summary>
    public List<MigrationScript> Migrations { get; } = [];

    /// <summary>Steps applied to the data source builder before it is built (e.g. JSON mapping).</summary>
    public List<Action<NpgsqlDataSourceBuilder>> DataSource { get; } = [];
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
