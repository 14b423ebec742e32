namespace Platform.EventSourcing;

public sealed class EventStoreOptions
{
    /// <summary>The event store's own tables, added to the service database's migrations.</summary>
    internal static IReadOnlyList<MigrationScript> Migrations { get; } =
        MigrationScript.FromAssembly(typeof(EventStoreOptions).Assembly, "eventstore");

    /// <summary>The event types the service stores, and which of them are published.</summary>
    public EventTypeRegistry Types { get; } = new();

    /// <summary>False runs this instance without a relay (another instance, or a test, publishes).</summary>
    public bool RelayEnabled { get; set; } = true;

    /// <summary>How many events the relay publishes per round trip.</summary>
    public int RelayBatchSize { get; set; } = 256;

    /// <summary>How long the relay waits for a notification before looking anyway.</summary>
    public TimeSpan RelayPollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
