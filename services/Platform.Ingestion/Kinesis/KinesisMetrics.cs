namespace Platform.Ingestion.Kinesis;

/// <summary>Per-shard consumption metrics, tagged <c>source</c> and <c>shard</c>.</summary>
public sealed class KinesisMetrics
{
    private readonly Counter<long> _records;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _throttled;
    private readonly ConcurrentDictionary<(string Source, string Shard), long> _millisBehindLatest = new();
    private readonly ConcurrentDictionary<string, int> _leasesHeld = new(StringComparer.Ordinal);

    public KinesisMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(IngestionTelemetry.Name);
        _records = meter.CreateCounter<long>("platform.ingestion.kinesis.records", "{record}", "Kinesis records read and ingested.");
        _bytes = meter.CreateCounter<long>("platform.ingestion.kinesis.bytes", "By", "Bytes of Kinesis record data read and ingested.");
        _throttled = meter.CreateCounter<long>("platform.ingestion.kinesis.throttled", "{call}", "GetRecords calls refused with ProvisionedThroughputExceeded.");
        meter.CreateObservableGauge("platform.ingestion.kinesis.millis_behind_latest", ObserveMillisBehindLatest, "ms",
            "How far the last read of a shard was behind its tip.");
        meter.CreateObservableGauge("platform.ingestion.kinesis.leases", ObserveLeases, "{lease}", "Shard leases this instance holds.");
    }

    public void Ingested(string source, string shard, int records, long bytes)
    {
        var tags = Tags(source, shard);
        _records.Add(records, tags);
        _bytes.Add(bytes, tags);
    }

    public void Throttled(string source, string shard) => _throttled.Add(1, Tags(source, shard));

    public void Behind(string source, string shard, long millis) => _millisBehindLatest[(source, shard)] = millis;

    public void ShardStopped(string source, string shard) => _millisBehindLatest.TryRemove((source, shard), out _);

    public void LeasesHeld(string source, int count) => _leasesHeld[source] = count;

    private IEnumerable<Measurement<long>> ObserveMillisBehindLatest() =>
        _millisBehindLatest.Select(entry => new Measurement<long>(entry.Value, Tags(entry.Key.Source, entry.Key.Shard)));

    private IEnumerable<Measurement<int>> ObserveLeases() =>
        _leasesHeld.Select(entry => new Measurement<int>(entry.Value, new KeyValuePair<string, object?>("source", entry.Key)));

    private static KeyValuePair<string, object?>[] Tags(string source, string shard) =>
        [new("source", source), new("shard", shard)];
}
