using Platform.Contracts.Ingestion;

namespace Platform.Alerting;

/// <summary>
/// Alerting's one queue for ingested batches: its three readers of them — metric filters (<c>MetricsConsumer</c>),
/// event rules (<c>EventRuleMatchingConsumer</c>) and subscription filters (<c>SubscriptionDeliveryConsumer</c>) — share
/// it, so each batch is delivered and deserialized once for all three (reading a 500-record batch costs more than the
/// three together do with it: <c>LogBatchMessageBenchmark</c>). Each of them is idempotent, so a retry of the batch for
/// one's failure repeats nothing the others did. Named like the service's other queues, after the message.
/// </summary>
public abstract class IngestedBatchEndpointDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    protected IngestedBatchEndpointDefinition(IEndpointNameFormatter formatter) => EndpointName = formatter.Message<LogEventsIngested>();
}
