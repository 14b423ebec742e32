using Platform.Contracts.Ingestion;

namespace Platform.Contracts.Detection;

// A retro-hunt between detection (which owns the hunt and its rule) and ingestion (which owns the stored events):
// detection asks for a range, ingestion counts it, streams it back in bounded batches and says when it is done.

/// <summary>Detection asks ingestion to stream the stored events with <paramref name="From"/> &lt;= event time &lt; <paramref name="To"/>.</summary>
/// <param name="HuntId">The hunt.</param>
/// <param name="From">Start of the range (inclusive).</param>
/// <param name="To">End of the range (exclusive).</param>
/// <param name="BatchSize">Events per <see cref="RetroHuntBatch"/> (ingestion bounds it).</param>
/// <param name="Rule">
/// The hunt's Sigma YAML (for a correlation, with the rules it counts): ingestion evaluates every stored event where it is
/// and streams only those some rule of it matches, each batch saying how many events it stands for
/// (<see cref="RetroHuntBatch.Scanned"/>); detection evaluates those again with its own compiled rules. Null: every event.
/// </param>
public sealed record RetroHuntRequested(Guid HuntId, DateTimeOffset From, DateTimeOffset To, int BatchSize, string? Rule = null);

/// <summary>Detection cancelled a hunt: ingestion stops streaming it (every instance hears this).</summary>
public sealed record RetroHuntCancelled(Guid HuntId);

/// <summary>Ingestion counted the events of the hunt's range: the hunt's total, before the first batch.</summary>
public sealed record RetroHuntEventsCounted(Guid HuntId, long Total);

/// <summary>
/// One batch of a hunt's events, in event time then event id order: <paramref name="Count"/> events packed in
/// <paramref name="Events"/> (<see cref="RetroHuntEvents"/>; <see cref="Of"/> packs, <see cref="Unpack"/> unpacks).
/// <paramref name="Sequence"/> numbers the batch within the stream; a request streamed again yields the same batches with
/// the same numbers (and message ids), so a redelivered or re-streamed batch is recognised.
/// </summary>
/// <param name="HuntId">The hunt.</param>
/// <param name="Sequence">The batch's number within the stream.</param>
/// <param name="Count">The events it carries.</param>
/// <param name="Events">Those events, packed.</param>
/// <param name="Scanned">
/// The stored events of the range this batch stands for, its <paramref name="Count"/> events (those the hunt's rule may
/// match) among them; null: just those (every event was streamed). The hunt's progress counts these.
/// </param>
public sealed record RetroHuntBatch(Guid HuntId, long Sequence, int Count, byte[] Events, long? Scanned = null)
{
    public static RetroHuntBatch Of(Guid huntId, long sequence, IReadOnlyList<NormalizedLogEvent> events, long? scanned = null) =>
        new(huntId, sequence, events.Count, RetroHuntEvents.Pack(events), scanned);

    /// <summary>The stored events this batch stands for: the hunt's progress.</summary>
    [JsonIgnore]
    public long EventsScanned => Scanned ?? Count;

    /// <summary>The batch's events; <see cref="InvalidDataException"/> when its bytes are not what <see cref="Of"/> packs.</summary>
    public IReadOnlyList<NormalizedLogEvent> Unpack() => RetroHuntEvents.Unpack(Events, Count);

    /// <summary>The batch's id: the first 16 bytes of the SHA-256 of the hunt id and the sequence.</summary>
    public static Guid IdOf(Guid huntId, long sequence)
    {
        Span<byte> input = stackalloc byte[24];
        huntId.TryWriteBytes(input);
        BitConverter.TryWriteBytes(input[16..], sequence);
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(input, hash);
        return new Guid(hash[..16]);
    }
}

/// <summary>
/// Ingestion finished streaming a hunt: <paramref name="Events"/> scanned (the hunt's final total) in
/// <paramref name="Batches"/> batches, or it failed or was cancelled (<paramref name="Failure"/> says why) and stopped.
/// </summary>
public sealed record RetroHuntStreamEnded(Guid HuntId, long Batches, long Events, string? Failure);
