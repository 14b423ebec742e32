using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace Platform.Messaging;

/// <summary>A provisioned kind the instance catches up on at start (see <see cref="LiveConfiguration"/>).</summary>
public sealed record LiveConfigurationKind(string Kind);

/// <summary>
/// Holds the service's messages until the instance has caught up on its live configuration at start: a restarted
/// alerting instance that matched the backlog of its queue against the event rules it had not loaded yet would drop
/// every alert in it. Messages of live configuration itself (the <c>Platform.Contracts.Provisioning</c> events, the
/// catch-up's request and answer) and anything that is not a platform contract pass at once. The wait is bounded by
/// <see cref="WaitSetting"/> (provisioning may be down for longer: the messages are then handled with what the
/// instance has, as before).
/// </summary>
public sealed partial class LiveConfigurationGate(
    IEnumerable<LiveConfigurationKind> kinds, TimeSpan wait, ILogger<LiveConfigurationGate> logger)
{
    /// <summary>How long an instance's messages wait at start for its live configuration (a TimeSpan; 1 minute by default).</summary>
    public const string WaitSetting = "Platform:Bus:LiveConfigurationWait";

    private const string ContractsUrn = "urn:message:Platform.Contracts.";
    private const string ProvisioningUrn = "urn:message:Platform.Contracts.Provisioning:";

    private readonly HashSet<string> _pending = [.. kinds.Select(k => k.Kind)];
    private readonly TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();

    /// <summary>The catch-up of <paramref name="kind"/> has applied provisioning's answer.</summary>
    public void CaughtUp(string kind)
    {
        lock (_gate)
        {
            if (_pending.Remove(kind) && _pending.Count == 0)
            {
                _caughtUp.TrySetResult();
            }
        }
    }

    /// <summary>Waits, for a platform message other than live configuration's, until the instance has caught up (or the wait ran out).</summary>
    public async Task PassAsync(ConsumeContext context)
    {
        if (_caughtUp.Task.IsCompleted || !Holds(context.SupportedMessageTypes))
        {
            return;
        }
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return;
            }
        }
        try
        {
            // Real time, like the catch-up it waits for: never the service's (possibly simulated) clock.
            await _caughtUp.Task.WaitAsync(wait, context.CancellationToken);
        }
        catch (TimeoutException)
        {
            if (_caughtUp.TrySetResult())
            {
                LogGaveUpWaiting(wait, string.Join(", ", _pending));
            }
        }
    }

    private static bool Holds(IEnumerable<string> messageTypes) =>
        messageTypes.Any(t => t.StartsWith(ContractsUrn, StringComparison.Ordinal))
        && !messageTypes.Any(t => t.StartsWith(ProvisioningUrn, StringComparison.Ordinal));

    [LoggerMessage(LogLevel.Warning,
        "Provisioning has not answered the catch-up of {Kinds} within {Wait}: handling messages with the live configuration this instance has")]
    private partial void LogGaveUpWaiting(TimeSpan wait, string kinds);
}

/// <summary>The bus's filter in front of every consumer: <see cref="LiveConfigurationGate.PassAsync"/>.</summary>
internal sealed class LiveConfigurationGateFilter(LiveConfigurationGate gate) : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        await gate.PassAsync(context);
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("live-configuration-gate");
}

/// <summary>Failures that pass by themselves: the database away for a moment (a restart, a failover), a timeout.</summary>
public static class TransientFailures
{
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException { IsTransient: true } or TimeoutException or System.Net.Sockets.SocketException)
            {
                return true;
            }
        }
        return false;
    }
}
