using System.Text;
using MassTransit;
using MassTransit.Serialization;
using Platform.Contracts;
using Platform.Contracts.Ingestion;
using Platform.Messaging;

namespace Platform.Benchmarks;

/// <summary>
/// What every service that consumes ingested batches pays per event before its own work: MassTransit's System.Text.Json
/// deserializer, configured as the services' buses are, reading a <see cref="LogEventsIngested"/> of 500 CloudTrail
/// records (the bus's batch size) from the bytes RabbitMQ delivers, and with the message's first use (each event's
/// document as a parsed element, as detection reads it), and the bus's own deserializer (<see cref="PlatformJsonDeserializer"/>,
/// which reads the batch from the envelope's parse). Baseline in the same run: one
/// <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/> of the same bytes.
/// <code>dotnet run -c Release --project tests/Platform.Benchmarks -- --filter '*LogBatchMessage*'</code>
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class LogBatchMessageBenchmark
{
    private const int Events = 500;

    private byte[] _body = [];

    [GlobalSetup]
    public void Setup()
    {
        // What the services' buses do (PlatformBus): MassTransit's serializer speaking the bus's JSON.
        var options = new JsonSerializerOptions(SystemTextJsonMessageSerializer.Options);
        PlatformJson.Configure(options);
        SystemTextJsonMessageSerializer.Options = options;
        var records = SubscriptionMessages.StratusRecords();
        var events = Enumerable.Range(0, Events).Select(i =>
        {
            var record = records[i % records.Length];
            return new NormalizedLogEvent($"event-{i}", LogSourceTypes.CloudTrail, DateTimeOffset.UnixEpoch.AddSeconds(i), "aws-cloudtrail-logs",
                "stream", "123456789012", "us-east-1", "iam.amazonaws.com", "ListUsers", "arn:aws:iam::123456789012:user/bench", "192.0.2.1", null,
                LogDocument.FromValidUtf8(Encoding.UTF8.GetBytes(record.ToJsonString())));
        }).ToList();
        var message = new LogEventsIngested(Guid.NewGuid(), "bench", DateTimeOffset.UnixEpoch, events);
        var envelope = new JsonObject
        {
            ["messageId"] = Guid.NewGuid().ToString(),
            ["messageType"] = new JsonArray($"urn:message:{typeof(LogEventsIngested).Namespace}:{nameof(LogEventsIngested)}"),
            ["message"] = JsonSerializer.SerializeToNode(message, SystemTextJsonMessageSerializer.Options),
        };
        _body = JsonSerializer.SerializeToUtf8Bytes(envelope);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "JsonDocument.Parse of the message")]
    public int Parse()
    {
        using var document = JsonDocument.Parse(_body);
        return document.RootElement.GetProperty("message").GetProperty("events").GetArrayLength();
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "MassTransit deserialize")]
    public int Deserialize() => Read().Events.Count;

    [Benchmark(OperationsPerInvoke = Events, Description = "MassTransit deserialize + each document's root")]
    public int DeserializeAndUse() => Read().Events.Sum(e => e.Document.Root.ValueKind == JsonValueKind.Object ? 1 : 0);

    [Benchmark(OperationsPerInvoke = Events, Description = "the bus's deserializer + each document's root")]
    public int PlatformDeserializeAndUse() => Read(BusDeserializer).Events.Sum(e => e.Document.Root.ValueKind == JsonValueKind.Object ? 1 : 0);

    private static readonly PlatformJsonDeserializer BusDeserializer = new();

    private LogEventsIngested Read(IMessageDeserializer? deserializer = null)
    {
        var context = (deserializer ?? SystemTextJsonMessageSerializer.Instance).Deserialize(new BytesMessageBody(_body), EmptyHeaders.Instance, null);
        return context.TryGetMessage<LogEventsIngested>(out var message) ? message! : throw new InvalidOperationException("Not a LogEventsIngested.");
    }
}
