using System.Diagnostics.Metrics;

namespace Platform.Archiver;

/// <summary>The archiver's traces and its meter (<c>Platform.Archiver</c>, exported by the service defaults).</summary>
public sealed class ArchiverTelemetry
{
    public const string Name = "Platform.Archiver";

    public static readonly ActivitySource ActivitySource = new(Name);

    private double _lagSeconds;

    public ArchiverTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        EventsBuffered = meter.CreateCounter<long>("platform.archiver.events.buffered", "{event}", "Events newly buffered for the archive.");
        EventsArchived = meter.CreateCounter<long>("platform.archiver.events.archived", "{event}", "Events written to archive files.");
        FilesWritten = meter.CreateCounter<long>("platform.archiver.files.written", "{file}", "Archive files written.");
        BytesWritten = meter.CreateCounter<long>("platform.archiver.bytes.written", "By", "Bytes of archive files written.");
        FileDuration = meter.CreateHistogram<double>("platform.archiver.file.duration", "s", "Time to build and upload one archive file.");
        meter.CreateObservableGauge("platform.archiver.lag", () => Volatile.Read(ref _lagSeconds), "s",
            "How long the oldest event not yet in an archive file has waited (0 when none waits).");
    }

    public Counter<long> EventsBuffered { get; }

    public Counter<long> EventsArchived { get; }

    public Counter<long> FilesWritten { get; }

    public Counter<long> BytesWritten { get; }

    public Histogram<double> FileDuration { get; }

    public void SetLag(TimeSpan lag) => Volatile.Write(ref _lagSeconds, lag.TotalSeconds);
}
