namespace Platform.Ingestion.Kinesis;

/// <summary>
/// What every <see cref="ShardLeaseCoordinator"/> and <see cref="ShardConsumer"/> of this instance shares, whatever the
/// source: the lease table, the ingestor records go to, the metrics, the options and the clock. One bundle, so that a
/// coordinator hands its consumers the same services it was given.
/// </summary>
public sealed record KinesisConsumerServices(
    ShardLeaseStore Store,
    ILogIngestor Ingestor,
    KinesisMetrics Metrics,
    KinesisOptions Options,
    TimeProvider Time,
    ILoggerFactory LoggerFactory);
