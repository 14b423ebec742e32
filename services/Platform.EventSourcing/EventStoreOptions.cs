using Platform.EventSourcing.Migrations;
using Platform.EventSourcing.Storage;

namespace Platform.EventSourcing;

public sealed class EventStoreOptions
{
    public required string ConnectionString { get; init; }

    /// <summary>The event types the service stores, and which of them are published.</summary>
    public EventTypeRegistry Types { get; } = new();

    /// <summary>The event store's own scripts first, then the service's.</summary>
    public List<MigrationScript> Migrations { get; } = [.. MigrationScript.EventStore];

    /// <summary>False runs this instance without a relay (another instance, or a test, publishes).</summary>
    public bool RelayEnabled { get; set; } = true;

    /// <summary>How many events the relay publishes per round trip.</summary>
    public int RelayBatchSize { get; set; } = 256;

    /// <summary>How long the relay waits for a notification before looking anyway.</summary>
    public TimeSpan RelayPollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
