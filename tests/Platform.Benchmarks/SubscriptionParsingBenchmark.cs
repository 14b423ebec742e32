using Platform.Ingestion.Parsing;

namespace Platform.Benchmarks;

/// <summary>
/// Decode + parse + normalise of CloudTrail records in gzipped CloudWatch Logs subscription payloads, against a
/// baseline in the same run: gunzip and a plain <see cref="JsonDocument"/> parse of the same bytes. Results are
/// per event (OperationsPerInvoke). Target: at least 70% of the baseline's rate.
/// <code>dotnet run -c Release --project tests/Platform.Benchmarks -- --filter '*Subscription*'</code>
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class SubscriptionParsingBenchmark
{
    private const int Payloads = 100;
    private const int EventsPerPayload = 50;
    private const int Events = Payloads * EventsPerPayload;

    private byte[][] _payloads = [];

    [GlobalSetup]
    public void Setup()
    {
        var records = SubscriptionMessages.StratusRecords();
        _payloads = new byte[Payloads][];
        for (var p = 0; p < Payloads; p++)
        {
            _payloads[p] = CloudTrailPayloads.Payload(Enumerable.Range(0, EventsPerPayload).Select(e =>
                ($"3719971756290717428835512580704011470483764099463361{p:D2}{e:D2}", 1_722_519_208_000L + e, records[(p * EventsPerPayload + e) % records.Length])));
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "gunzip + JsonDocument.Parse")]
    public int GunzipAndParse()
    {
        var total = 0;
        var output = new MemoryStream(256 * 1024);
        foreach (var payload in _payloads)
        {
            output.SetLength(0);
            using (var gzip = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress))
            {
                gzip.CopyTo(output);
            }
            using var document = JsonDocument.Parse(output.GetBuffer().AsMemory(0, (int)output.Length));
            total += document.RootElement.GetProperty("logEvents").GetArrayLength();
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "decode + parse + normalise")]
    public int DecodeParseNormalise()
    {
        var total = 0;
        var receivedAt = DateTimeOffset.UnixEpoch;
        foreach (var payload in _payloads)
        {
            // A batch per payload, as each delivery's events are stored and handed off before the next.
            var batch = new ParsedBatch();
            SubscriptionPayloadParser.Parse(payload, "bench", null, null, receivedAt, PayloadDecoder.DefaultMaxDecodedBytes, batch);
            if (batch.Events.Count != EventsPerPayload || batch.Events[0].Event.SourceType != "cloudtrail")
            {
                throw new InvalidOperationException("the benchmark's payloads did not parse");
            }
            total += batch.Events.Count;
        }
        return total;
    }
}
