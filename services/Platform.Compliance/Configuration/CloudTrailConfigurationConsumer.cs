using System.Security.Cryptography;
using MassTransit;
using Npgsql;
using Platform.Contracts.Ingestion;

namespace Platform.Compliance.Configuration;

/// <summary>
/// Turns the CloudTrail calls of <see cref="CloudTrailChanges"/> into derived items (origin <c>cloudtrail</c>) within
/// seconds of ingestion, without waiting for Config's next item. A failed call (an <c>errorCode</c>) changes nothing.
/// Each event is claimed in the inbox in the transaction that records its item, so a redelivered batch records nothing
/// twice. Competing consumers: instances share the queue.
/// </summary>
public sealed partial class CloudTrailConfigurationConsumer(ConfigurationRecorder recorder, ILogger<CloudTrailConfigurationConsumer> logger)
    : IConsumer<LogEventsIngested>
{
    public async Task Consume(ConsumeContext<LogEventsIngested> context)
    {
        foreach (var logEvent in context.Message.Events)
        {
            if (logEvent.SourceType != LogSourceTypes.CloudTrail || !string.IsNullOrEmpty(logEvent.ErrorCode)
                || CloudTrailChanges.Find(logEvent.EventSource, logEvent.EventName) is not { } change)
            {
                continue;
            }
            var record = logEvent.Document.Root;
            var parameters = record.TryGetProperty("requestParameters", out var p) ? p : default;
            if (logEvent.Account is not { Length: > 0 } account || logEvent.Region is not { Length: > 0 } region
                || change.ResourceIdOf(parameters, account) is not { Length: > 0 } resourceId)
            {
                LogUnattributed(logEvent.EventName!, logEvent.EventId);
                continue;
            }
            var call = new CloudTrailCall(record, resourceId, account, region, logEvent.EventTime);
            await recorder.RecordOnCurrentAsync(
                change.ResourceType, resourceId,
                current => new ItemToRecord(CloudTrailChanges.Derive(change, call, current), ConfigurationOrigins.CloudTrail, logEvent.EventName),
                (MessageIdOf(logEvent.EventId), nameof(CloudTrailConfigurationConsumer)),
                context.CancellationToken);
        }
    }

    /// <summary>The inbox id of one event: its id never changes, so neither does this.</summary>
    private static Guid MessageIdOf(string eventId) => new(SHA256.HashData(Encoding.UTF8.GetBytes("cloudtrail-configuration:" + eventId)).AsSpan(0, 16));

    [LoggerMessage(LogLevel.Warning, "CloudTrail {EventName} event {EventId} names no resource, account or region: no configuration change recorded")]
    private partial void LogUnattributed(string eventName, string eventId);
}

/// <summary>Retries what concurrency and the database's passing faults cause.</summary>
public sealed class CloudTrailConfigurationConsumerDefinition : ConsumerDefinition<CloudTrailConfigurationConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<CloudTrailConfigurationConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseWriteConflictRetry();
    }
}
