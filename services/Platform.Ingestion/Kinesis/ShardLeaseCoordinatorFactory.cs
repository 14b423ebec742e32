namespace Platform.Ingestion.Kinesis;

/// <summary>Builds this instance's <see cref="ShardLeaseCoordinator"/> for a source.</summary>
public sealed class ShardLeaseCoordinatorFactory(
    KinesisClientFactory clients,
    ShardLeaseStore store,
    ILogIngestor ingestor,
    KinesisMetrics metrics,
    KinesisOptions options,
    TimeProvider time,
    ILoggerFactory loggerFactory)
{
    public ShardLeaseCoordinator Create(KinesisSource source) =>
        new(source, options.InstanceId!, clients.Create(source.Endpoint), store, ingestor, metrics, options, time, loggerFactory);
}
