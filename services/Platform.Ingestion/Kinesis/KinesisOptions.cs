namespace Platform.Ingestion.Kinesis;

/// <summary>How this instance consumes Kinesis sources (<c>Platform:Ingestion:Kinesis</c>).</summary>
public sealed class KinesisOptions
{
    public const string Section = "Platform:Ingestion:Kinesis";

    /// <summary>This instance's lease owner name; one is generated per process when absent.</summary>
    public string? InstanceId { get; set; }

    /// <summary>The region of sources that name none.</summary>
    public string DefaultRegion { get; set; } = Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1";

    /// <summary>How long a lease lasts unrenewed: an instance that dies holds its shards this long.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often leases are renewed and the balance checked (well under <see cref="LeaseDuration"/>).</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often the shard list is re-read to find new shards after a reshard.</summary>
    public TimeSpan ShardSyncInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The least time between two GetRecords calls on a shard: Kinesis allows 5 per second.</summary>
    public TimeSpan MinReadInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long to wait after a read that returned nothing.</summary>
    public TimeSpan IdleReadInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// GetRecords' Limit (Kinesis allows up to 10,000): what a shard holds in memory per read, and the read ahead of it.
    /// A shard takes at most 1,000 records a second and is read up to five times a second, so 1,000 a read keeps up with
    /// anything written to it and drains a backlog at five times its write rate; 10,000 records of subscription
    /// payloads (each a gzipped batch of log events) are hundreds of MB once read.
    /// </summary>
    public int MaxRecordsPerRead { get; set; } = 1_000;

    /// <summary>
    /// About how many bytes of records a read may bring: after each read, the next one asks for as many records of that
    /// read's average size as make this (at least 1, at most <see cref="MaxRecordsPerRead"/>). Kinesis answers a
    /// GetRecords with 10 MiB at most, so against AWS the default changes nothing; it holds an endpoint without that cap
    /// (kinesalite, where 1,000 subscription records of 34 KB were 34 MB a read) to the same, and with it the memory of a
    /// shard, which holds its current read and the read ahead of it.
    /// </summary>
    public int MaxBytesPerRead { get; set; } = 10 * 1024 * 1024;

    /// <summary>Records handed to the ingestor (and checkpointed) at a time, bounding memory and redelivery.</summary>
    public int MaxRecordsPerIngest { get; set; } = 100;

    /// <summary>First wait after a throttled read or a failed ingest; doubles per attempt up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the configured and persisted sources are reconciled with what runs, besides on every change.</summary>
    public TimeSpan SourceRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait at start for the provisioning service's list of sources before using the stored one.</summary>
    public TimeSpan ProvisionedSourcesTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
