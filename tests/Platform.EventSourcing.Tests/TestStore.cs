using Platform.Messaging;
using System.Collections.Concurrent;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Platform.ServiceDefaults;

namespace Platform.EventSourcing.Tests;

public sealed record ThingHappened(string Thing, int Sequence);

public sealed record ThingRenamed(string Name);

public sealed record ThingState(string? Name, int Count)
{
    public static readonly ThingState Initial = new(null, 0);

    public static ThingState Apply(ThingState state, object @event) => @event switch
    {
        ThingHappened => state with { Count = state.Count + 1 },
        ThingRenamed renamed => state with { Name = renamed.Name },
        _ => state,
    };
}

public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : Storage.EventStoreDbContext(options);

/// <summary>Every delivery the broker made, duplicates included.</summary>
public sealed class DeliveryLog
{
    public ConcurrentQueue<(Guid MessageId, ThingHappened Message)> Deliveries { get; } = new();
}

/// <summary>An idempotent consumer: its effect (a row) and its inbox record commit together.</summary>
public sealed class ThingHappenedConsumer(TestDbContext db, DeliveryLog log, TimeProvider clock) : IConsumer<ThingHappened>
{
    public async Task Consume(ConsumeContext<ThingHappened> context)
    {
        var messageId = context.MessageId!.Value;
        log.Deliveries.Enqueue((messageId, context.Message));
        await using var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken);
        if (!await db.TryRecordInboxAsync(messageId, nameof(ThingHappenedConsumer), clock.GetUtcNow(), context.CancellationToken))
        {
            return;
        }
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO effects (thing, sequence) VALUES ({context.Message.Thing}, {context.Message.Sequence})",
            context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);
    }
}

/// <summary>One message at a time, so delivery order is observable.</summary>
public sealed class ThingHappenedConsumerDefinition : ConsumerDefinition<ThingHappenedConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ThingHappenedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.ConcurrentMessageLimit = 1;
        endpointConfigurator.PrefetchCount = 16;
    }
}

/// <summary>A host with the event store and the bus, against a fresh database and bus prefix.</summary>
public static class TestStore
{
    public const string ConnectionName = "testdb";

    public static readonly MigrationScript EffectsTable = new(
        "test/0001_effects",
        "CREATE TABLE effects (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, thing text NOT NULL, sequence int NOT NULL)");

    public static IHost Build(string connectionString, string busPrefix, bool relay = true, bool consumer = true,
        Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ConnectionName}"] = connectionString,
            [$"ConnectionStrings:{PlatformBus.ConnectionName}"] = RabbitMqServer.ConnectionString,
            [PlatformBus.EntityPrefixSetting] = busPrefix,
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DeliveryLog>();
        builder.AddPlatformBus(bus =>
        {
            if (consumer)
            {
                bus.AddConsumer<ThingHappenedConsumer, ThingHappenedConsumerDefinition>();
            }
        });
        var database = builder.AddServiceDatabase(ConnectionName, db => db.Migrations.Add(EffectsTable));
        builder.AddEventStore<TestDbContext>(database, options =>
        {
            options.Types.Register<ThingHappened>(publish: true).Register<ThingRenamed>(publish: false);
            options.RelayEnabled = relay;
            options.RelayPollInterval = TimeSpan.FromMilliseconds(200);
        });
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    public static async Task<T> WithStoreAsync<T>(this IHost host, Func<Storage.EventStore, Task<T>> action)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<Storage.EventStore>());
    }

    /// <summary>Appends one ThingHappened per sequence number to each thing's stream, committing each stream once.</summary>
    public static async Task AppendThingsAsync(this IHost host, IEnumerable<string> things, int perThing)
    {
        foreach (var thing in things)
        {
            await host.WithStoreAsync(async store =>
            {
                await store.AppendAsync($"thing/{thing}", Storage.ExpectedVersion.Any,
                    Enumerable.Range(1, perThing).Select(i => (object)new ThingHappened(thing, i)).ToList(), null, default);
                return await store.Context.SaveChangesAsync();
            });
        }
    }

    public static async Task<List<(string Thing, int Sequence)>> ReadEffectsAsync(this IHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "SELECT thing, sequence FROM effects ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync();
        var effects = new List<(string, int)>();
        while (await reader.ReadAsync())
        {
            effects.Add((reader.GetString(0), reader.GetInt32(1)));
        }
        return effects;
    }

    public static async Task<long> CountUnpublishedAsync(this IHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        return await db.Events.LongCountAsync(e => e.PublishedAt == null);
    }
}
