namespace Platform.Ingestion.Storage;

/// <summary>What storing a batch did.</summary>
/// <param name="ToPublish">
/// The events to hand off: those stored now, and those stored before but never published (a crash between
/// store and publish), each once.
/// </param>
/// <param name="Publication">The pending publication of <paramref name="ToPublish"/>, to complete once they are on the broker (none when there is nothing to publish).</param>
/// <param name="Stored">Events newly stored.</param>
/// <param name="Duplicates">Events already stored (a replay), or repeated within the batch.</param>
public sealed record StoreOutcome(IReadOnlyList<ParsedLogEvent> ToPublish, long? Publication, int Stored, int Duplicates);
