namespace Platform.Ingestion.Kinesis;

/// <summary>Builds this instance's <see cref="ShardLeaseCoordinator"/> for a source.</summary>
public sealed class ShardLeaseCoordinatorFactory(KinesisClientFactory clients, KinesisConsumerServices services)
{
    public ShardLeaseCoordinator Create(KinesisSource source) =>
        new(source, services.Options.InstanceId!, clients.Create(source.Endpoint), services);
}
