using System.Diagnostics.Metrics;

namespace Platform.Compliance.Configuration;

/// <summary>Configuration intake's counters on the service's meter (<c>Platform.Compliance</c>, exported by the service defaults).</summary>
public sealed class IntakeTelemetry
{
    public const string MeterName = "Platform.Compliance";

    public IntakeTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        ItemsRecorded = meter.CreateCounter<long>(
            "platform.compliance.configuration.items.recorded", "{item}", "Configuration items recorded in a resource's history, by origin.");
        ItemsUnchanged = meter.CreateCounter<long>(
            "platform.compliance.configuration.items.unchanged", "{item}", "Configuration items already recorded (the same capture time and content), by origin.");
        ItemsQuarantined = meter.CreateCounter<long>(
            "platform.compliance.configuration.items.quarantined", "{item}", "Parts of deliveries that were not configuration items, kept in the quarantine.");
        QuarantineDropped = meter.CreateCounter<long>(
            "platform.compliance.quarantine.dropped", "{payload}", "Quarantine entries dropped, oldest first, to keep the quarantine under its size cap.");
    }

    public Counter<long> ItemsRecorded { get; }

    public Counter<long> ItemsUnchanged { get; }

    public Counter<long> ItemsQuarantined { get; }

    public Counter<long> QuarantineDropped { get; }
}
