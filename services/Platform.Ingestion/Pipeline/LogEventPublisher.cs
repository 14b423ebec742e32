namespace Platform.Ingestion.Pipeline;

/// <summary>
/// Hands stored events off as bounded <c>LogEventsIngested</c> batches. A batch's message id is derived from
/// its event ids, so a batch published again (after a crash) is recognised by consumers' inboxes.
/// </summary>
/// <remarks>
/// Why not the event store's outbox relay (Platform.EventSourcing), which solves the same problem: its outbox holds
/// one row per event, and a relay marks each published. Ingestion stores a batch with one COPY; a relay row per
/// event would double the rows written and update each again, about halving ingest throughput. Here one
/// <c>pending_publications</c> row per stored batch (written in the store's transaction, deleted once the batch is
/// on the broker) is the outbox, the instance that stored the batch publishes it at once, and
/// <see cref="UnpublishedEventSweeper"/> publishes only what a crash left behind.
/// </remarks>
public sealed class LogEventPublisher(IBus bus, RawLogStore store, IngestionOptions options, IngestionTelemetry telemetry, TimeProvider time)
{
    /// <summary>
    /// Publishes the batches side by side (each waits for the broker's confirm, so one at a time leaves the
    /// connection idle), then completes the stored batch's pending publication; returns when all are on the broker.
    /// The batches begin at <paramref name="batchStarts"/>, the cut recorded with the publication
    /// (<see cref="PublicationBatches"/>). A publish the broker has not confirmed within
    /// <see cref="IngestionOptions.PublishTimeout"/> fails with a <see cref="TimeoutException"/>, the pending publication
    /// left for a retry or the sweeper.
    /// </summary>
    public async Task PublishAsync(
        string source, IReadOnlyList<NormalizedLogEvent> events, IReadOnlyList<int> batchStarts, long publication, CancellationToken cancellationToken)
    {
        var chunks = PublicationBatches.Cut(events, batchStarts);
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (chunk, ct) =>
        {
            var batchId = BatchIdOf(chunk);
            var message = new LogEventsIngested(batchId, source, time.GetUtcNow(), chunk);
            // Bounded: a confirm lost in a broker restart fails this attempt (TimeoutException) instead of stalling it.
            await bus.Publish(message, context => context.MessageId = batchId, ct).WaitAsync(options.PublishTimeout, ct);
            telemetry.EventsPublished.Add(chunk.Length);
        });
        await store.CompletePublicationAsync(publication, cancellationToken);
    }

    /// <summary>
    /// Publishes again publications whose completion was never recorded, each whole, in its events' order and cut where
    /// it was cut the first time: the same batches, so a consumer that had them recognises them. Returns how many events.
    /// </summary>
    public async Task<int> PublishAgainAsync(IReadOnlyList<PendingPublication> publications, CancellationToken cancellationToken)
    {
        var events = 0;
        foreach (var publication in publications)
        {
            await PublishAsync(publication.Source, publication.Events.Select(e => e.Event).ToArray(), publication.BatchStarts, publication.Id, cancellationToken);
            events += publication.Events.Count;
        }
        return events;
    }

    /// <summary>The first 16 bytes of the SHA-256 of the event ids, as a version 8 (custom) UUID.</summary>
    public static Guid BatchIdOf(IEnumerable<NormalizedLogEvent> events)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var e in events)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(e.EventId));
            hash.AppendData("\n"u8);
        }
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        hash.GetHashAndReset(digest);
        digest[6] = (byte)((digest[6] & 0x0f) | 0x80);
        digest[8] = (byte)((digest[8] & 0x3f) | 0x80);
        return new Guid(digest[..16], bigEndian: true);
    }
}
