using System.ComponentModel.DataAnnotations;

namespace Platform.Ingestion.Pipeline;

/// <summary>The service's settings, under <c>Platform:Ingestion</c>.</summary>
public sealed class IngestionOptions : IQuarantineLimits
{
    public const string Section = "Platform:Ingestion";

    /// <summary>How long events of a log group without its own retention are kept, counted from ingestion.</summary>
    [Range(1, int.MaxValue)]
    public int DefaultRetentionDays { get; set; } = 30;

    /// <summary>The largest request body the HTTP endpoints accept, as sent (compressed or not).</summary>
    public long MaxRequestBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The largest a payload may decompress to (a guard against decompression bombs).</summary>
    public int MaxDecodedBytes { get; set; } = 256 * 1024 * 1024;

    /// <summary>How many bytes of each quarantined payload are kept (the original size is recorded).</summary>
    public int QuarantineMaxBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// The most the quarantine holds in all (kept bytes and reasons); past it the oldest entries are dropped, counted
    /// by <c>platform.ingestion.quarantine.dropped</c>.
    /// </summary>
    public long QuarantineMaxTotalBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>How long quarantined payloads are kept, counted from receipt (enforced with the logs' retention).</summary>
    public int QuarantineRetentionDays { get; set; } = 30;

    /// <summary>Events per published <c>LogEventsIngested</c>, at most.</summary>
    [Range(1, int.MaxValue)]
    public int PublishBatchSize { get; set; } = 500;

    /// <summary>
    /// About how many bytes of JSON a published <c>LogEventsIngested</c> may hold, at most: its events' documents and
    /// fields (the envelope adds about a kilobyte). A batch closes before the event that would take it past this; an
    /// event larger than this goes alone. It keeps a message under the broker's limit whatever the events' sizes
    /// (RabbitMQ refuses messages over 16 MiB by default from 4.0), and under 1 MiB by default: the RabbitMQ client
    /// reads each message into a buffer of the shared array pool, in power-of-two sizes, and the pool of every service
    /// consuming batches keeps dozens of those buffers (detection held 56 of 2 MiB, most of its live heap, when the
    /// attack mix's batches of 500 came to just over 1 MiB).
    /// </summary>
    [Range(64 * 1024, 16 * 1024 * 1024)]
    public int PublishBatchBytes { get; set; } = 1_000_000;

    /// <summary>
    /// How long a published batch may wait for the broker's confirm. A publish in flight when the broker restarts can
    /// wait for a confirm that never comes (the RabbitMQ .NET client can leave it pending after the connection recovers): past
    /// this the attempt fails, the shard tries again, and the stored batch's pending publication is published by the
    /// sweeper, so one lost confirm cannot stall a shard.
    /// </summary>
    [Interval]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the retention job runs.</summary>
    [Interval]
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often stored-but-unpublished events (a crash between store and publish) are looked for.</summary>
    [Interval]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How old an unpublished event must be before the sweeper publishes it (in-flight batches finish first).</summary>
    [Interval]
    public TimeSpan SweepGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most events a retro-hunt batch carries, whatever detection asks for (bounds each message).</summary>
    [Range(1, 100_000)]
    public int RetroHuntMaxBatchSize { get; set; } = 5000;

    /// <summary>
    /// How many slices of a retro-hunt's range are scanned at once (a connection and a Postgres backend each, and the
    /// evaluation of their events): every core by default.
    /// </summary>
    [Range(1, 64)]
    public int RetroHuntScanParallelism { get; set; } = Math.Clamp(Environment.ProcessorCount, 2, 64);

    /// <summary>How many retro-hunts one instance streams at once.</summary>
    [Range(1, 64)]
    public int RetroHuntsAtOnce { get; set; } = 2;

    public FirehoseOptions Firehose { get; set; } = new();
}
