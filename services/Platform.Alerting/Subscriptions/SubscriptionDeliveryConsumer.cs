using System.IO.Compression;
using Platform.Alerting.Delivery;
using Platform.Contracts.Ingestion;

namespace Platform.Alerting.Subscriptions;

/// <summary>
/// Delivers the ingested events that match a subscription filter of their log group to the filter's destination, in
/// the payload CloudWatch Logs sends a Lambda subscription: <c>{"awslogs": {"data": base64(gzip(json))}}</c>. One delivery
/// per batch, filter and log stream (CloudWatch's payload names one stream), keyed by all three, so a redelivered
/// batch sends nothing twice. Competing consumers: instances share the queue.
/// </summary>
public sealed class SubscriptionDeliveryConsumer(SubscriptionFilters filters, IDeliveryScheduler scheduler) : IConsumer<LogEventsIngested>
{
    public async Task Consume(ConsumeContext<LogEventsIngested> context)
    {
        var batch = context.Message;
        var byLogGroup = filters.ByLogGroup;
        if (byLogGroup.IsEmpty)
        {
            return;
        }

        foreach (var group in batch.Events.Where(e => e.LogGroup is not null).GroupBy(e => e.LogGroup!, StringComparer.Ordinal))
        {
            if (!byLogGroup.TryGetValue(group.Key, out var groupFilters))
            {
                continue;
            }
            foreach (var filter in groupFilters)
            {
                var matching = group
                    .Select(e => (Event: e, Message: e.Message()))
                    .Where(m => filter.Pattern.Match(m.Message).IsMatch)
                    .GroupBy(m => m.Event.LogStream ?? "", StringComparer.Ordinal);
                foreach (var stream in matching)
                {
                    var events = stream.ToList();
                    var payload = Payload(events[0].Event.Account, group.Key, stream.Key, filter.Spec.FilterName, events);
                    await scheduler.ScheduleAsync(
                        filter.Spec.DestinationArn,
                        new DeliveryMessage(
                            $"subscription:{filter.Name}:{batch.BatchId:N}:{stream.Key}",
                            $"{events.Count} event(s) of {group.Key} matched subscription filter {filter.Spec.FilterName}",
                            payload),
                        context.CancellationToken);
                }
            }
        }
    }

    /// <summary><c>{"awslogs": {"data": base64(gzip(DATA_MESSAGE))}}</c>, as a Lambda subscription receives it.</summary>
    public static JsonObject Payload(
        string? owner, string logGroup, string logStream, string filterName, IReadOnlyList<(NormalizedLogEvent Event, string Message)> events)
    {
        var data = new JsonObject
        {
            ["messageType"] = "DATA_MESSAGE",
            ["owner"] = owner ?? "000000000000",
            ["logGroup"] = logGroup,
            ["logStream"] = logStream,
            ["subscriptionFilters"] = new JsonArray(filterName),
            ["logEvents"] = new JsonArray([.. events.Select(m => (JsonNode)new JsonObject
            {
                ["id"] = m.Event.EventId,
                ["timestamp"] = m.Event.EventTime.ToUnixTimeMilliseconds(),
                ["message"] = m.Message,
            })]),
        };
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            JsonSerializer.Serialize(gzip, data);
        }
        return new JsonObject { ["awslogs"] = new JsonObject { ["data"] = Convert.ToBase64String(buffer.ToArray()) } };
    }
}

/// <summary>On alerting's batch queue (<see cref="IngestedBatchEndpointDefinition{TConsumer}"/>).</summary>
public sealed class SubscriptionDeliveryConsumerDefinition(IEndpointNameFormatter formatter)
    : IngestedBatchEndpointDefinition<SubscriptionDeliveryConsumer>(formatter);
