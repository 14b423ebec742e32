namespace Platform.Alerting.Alarms;

// An alarm's stream (alarms/<name>): its configuration changes (private) and its transitions, each the public
// AlarmStateChanged itself, so what the bus hears is exactly the history, published once by the outbox relay.

/// <summary>Provisioning created or changed the alarm (a ConfigurationUpdate in its history).</summary>
/// <param name="Spec">The definition from then on.</param>
/// <param name="ProvisionedVersion">The provisioning version it came with.</param>
/// <param name="Created">True when the alarm began (or began again after a deletion): its state starts at INSUFFICIENT_DATA.</param>
public sealed record AlarmConfigured(AlarmSpec Spec, long ProvisionedVersion, bool Created);

/// <summary>Provisioning deleted the alarm.</summary>
public sealed record AlarmRemoved(long ProvisionedVersion);

/// <summary>The stream of an alarm.</summary>
public static class AlarmStreams
{
    public static string StreamId(string alarmName) => $"alarms/{alarmName}";
}
