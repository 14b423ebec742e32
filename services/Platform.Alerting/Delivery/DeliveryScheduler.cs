using System.Text;
using Microsoft.Extensions.Logging;

namespace Platform.Alerting.Delivery;

/// <summary>
/// Records one delivery per subscriber of the target (a target that names nothing known is recorded as one failed
/// delivery, never dropped) and wakes the sender. The rows are unique on subscriber and idempotency key, so scheduling
/// the same message again, as a redelivered bus message does, inserts nothing.
/// </summary>
public sealed partial class DeliveryScheduler(
    DeliveryStore store, DeliveryTargets targets, DeliverySignal signal, DeliveryOptions options, TimeProvider clock,
    ILogger<DeliveryScheduler> logger) : IDeliveryScheduler
{
    public async Task ScheduleAsync(string target, DeliveryMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = message.Body.ToJsonString();
        var subject = message.Subject.Length > 256 ? message.Subject[..256] : message.Subject;
        var subscribers = targets.Resolve(target, out var reason);
        List<DeliveryStore.NewDelivery> deliveries;
        if (subscribers is null)
        {
            deliveries = [new(target, $"unknown:{target}", DeliveryProtocols.None, "", null, DeliveryStatus.Failed, $"target {reason}")];
        }
        else
        {
            var status = DeliveryStatus.Pending;
            string? error = null;
            if (Encoding.UTF8.GetByteCount(body) > options.MaxBodyBytes)
            {
                (status, error) = (DeliveryStatus.Failed, $"the body is larger than {options.MaxBodyBytes} bytes");
            }
            else if (await store.CountPendingAsync(cancellationToken) >= options.MaxPending)
            {
                // Refused loudly: the bus retries the message that asked, and keeps it in its error queue if the backlog stays.
                LogBacklogFull(options.MaxPending, target);
                throw new InvalidOperationException($"{options.MaxPending} deliveries are pending already ({DeliveryOptions.Section}:MaxPending).");
            }
            deliveries = [.. subscribers.Select(s => new DeliveryStore.NewDelivery(target, s.Key, s.Protocol, s.Endpoint, s.Resource, status, error))];
        }

        var inserted = await store.InsertAsync(deliveries, message.IdempotencyKey, subject, body, clock.GetUtcNow(), cancellationToken);
        if (subscribers is null && inserted > 0)
        {
            LogUnknownTarget(target, reason);
        }
        if (inserted > 0)
        {
            signal.Wake();
        }
    }

    [LoggerMessage(LogLevel.Warning, "Delivery to {Target} recorded as failed: the target {Reason}")]
    private partial void LogUnknownTarget(string target, string? reason);

    [LoggerMessage(LogLevel.Error, "{MaxPending} deliveries are pending: refusing to schedule more for {Target} until the backlog drains")]
    private partial void LogBacklogFull(int maxPending, string target);
}

/// <summary>Wakes the sender when something was scheduled, so a delivery does not wait for the next poll.</summary>
public sealed class DeliverySignal : WakeSignal;
