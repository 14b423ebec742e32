namespace Platform.Ingestion.Storage;

/// <summary>What storing a batch did.</summary>
/// <param name="ToPublish">The events stored now, to hand off.</param>
/// <param name="BatchStarts">Where the batches of <paramref name="ToPublish"/> begin, as recorded with their publication.</param>
/// <param name="Publication">The pending publication of <paramref name="ToPublish"/>, to complete once they are on the broker (none when there is nothing to publish).</param>
/// <param name="Unfinished">
/// Pending publications of events stored before whose publication never completed (a crash between store and
/// completion): each to publish again whole.
/// </param>
/// <param name="Stored">Events newly stored.</param>
/// <param name="Duplicates">Events already stored (a replay), or repeated within the batch.</param>
public sealed record StoreOutcome(
    IReadOnlyList<NormalizedLogEvent> ToPublish, IReadOnlyList<int> BatchStarts, long? Publication, IReadOnlyList<long> Unfinished, int Stored, int Duplicates);
