using Microsoft.Extensions.Logging.Abstractions;
using System.Diagnostics.Metrics;

namespace Platform.Ingestion.Tests.Kinesis;

/// <summary>The shard consumer against a scripted Kinesis endpoint and a real lease table.</summary>
public sealed class Reading_a_shard(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private const string Source = "scripted";
    private const string ShardId = "shardId-000000000000";
    private readonly ScriptedKinesis _kinesis = new();
    private readonly KinesisOptions _options = new()
    {
        MinReadInterval = TimeSpan.FromMilliseconds(200),
        IdleReadInterval = TimeSpan.FromMilliseconds(10),
        InitialBackoff = TimeSpan.FromMilliseconds(100),
        MaxBackoff = TimeSpan.FromSeconds(1),
    };
    private NpgsqlDataSource _dataSource = null!;
    private ShardLeaseStore _store = null!;

    public async Task InitializeAsync()
    {
        _dataSource = await IngestionDatabase.WithKinesisTablesAsync(await postgres.CreateDatabaseAsync("kinesisread"));
        _store = new ShardLeaseStore(_dataSource);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task Backs_off_when_throttled_then_reads_on_and_never_reads_more_than_five_times_a_second()
    {
        _kinesis.GetRecords.Enqueue(ScriptedKinesis.Throttled);
        _kinesis.GetRecords.Enqueue(ScriptedKinesis.Throttled);
        _kinesis.GetRecords.Enqueue(ScriptedKinesis.Records(next: "it-2", "101", "102", "103"));
        _kinesis.GetRecords.Enqueue(ScriptedKinesis.ShardEnd);
        var ingestor = new RecordingIngestor();

        var outcome = await RunAsync(ingestor);

        Assert.Equal(ShardConsumerOutcome.ShardEnded, outcome);
        var reads = _kinesis.Calls.Where(c => c.Operation == "GetRecords").Select(c => c.At).ToArray();
        Assert.Equal(4, reads.Length);
        Assert.All(reads.Zip(reads.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromMilliseconds(195), $"reads {pair.Second - pair.First} apart"));
        var call = Assert.Single(ingestor.Calls);
        Assert.Equal(["101", "102", "103"], call.Select(p => p.Origin.Split('/')[^1]));
        Assert.Equal(ShardLeaseRow.ShardEnd, (await _store.ListAsync(Source, default)).Single().Checkpoint);
    }

    [Fact]
    public async Task Asks_each_read_for_about_MaxBytesPerRead_of_records_of_the_last_reads_size()
    {
        _options.MaxRecordsPerRead = 1_000;
        _options.MaxBytesPerRead = 1_000;
        _kinesis.GetRecords.Enqueue(ScriptedKinesis.Records(next: "it-2", dataBytes: 100, "301", "302", "303", "304"));
        _kinesis.GetRecords.Enqueue(ScriptedKinesis.Records(next: "it-3", dataBytes: 400, "305", "306"));
        _kinesis.GetRecords.Enqueue(ScriptedKinesis.Records(next: "it-4", dataBytes: 5_000, "307"));
        _kinesis.GetRecords.Enqueue(ScriptedKinesis.ShardEnd);
        var ingestor = new RecordingIngestor();

        await RunAsync(ingestor);

        // The first read as many as allowed; then 1,000 bytes of records of 100, of 400, and one of 5,000 (never none).
        var limits = _kinesis.Calls.Where(c => c.Operation == "GetRecords").Select(c => c.Body.GetProperty("Limit").GetInt32());
        Assert.Equal([1_000, 10, 2, 1], limits);
        Assert.Equal(7, ingestor.Calls.Sum(c => c.Count));
    }

    [Fact]
    public async Task Renews_an_expired_iterator_from_the_last_checkpoint()
    {
        _kinesis.GetRecords.Enqueue(ScriptedKinesis.Records(next: "it-2", "201", "202"));
        _kinesis.GetRecords.Enqueue(ScriptedKinesis.Expired);
        _kinesis.GetRecords.Enqueue(ScriptedKinesis.Records(next: "it-3", "203"));
        _kinesis.GetRecords.Enqueue(ScriptedKinesis.ShardEnd);
        var ingestor = new RecordingIngestor();

        await RunAsync(ingestor);

        var iterators = _kinesis.Calls.Where(c => c.Operation == "GetShardIterator").Select(c => c.Body).ToArray();
        Assert.Equal(2, iterators.Length);
        Assert.Equal("TRIM_HORIZON", iterators[0].GetProperty("ShardIteratorType").GetString());
        Assert.Equal("AFTER_SEQUENCE_NUMBER", iterators[1].GetProperty("ShardIteratorType").GetString());
        Assert.Equal("202", iterators[1].GetProperty("StartingSequenceNumber").GetString());
        Assert.Equal(3, ingestor.Calls.Sum(c => c.Count));
    }

    [Fact]
    public async Task Retries_the_same_records_while_the_ingestor_fails_and_checkpoints_only_after_it_succeeds()
    {
        _kinesis.GetRecords.Enqueue(ScriptedKinesis.Records(next: "it-2", "301", "302"));
        _kinesis.GetRecords.Enqueue(ScriptedKinesis.Records(next: "it-3"));
        var checkpointsSeen = new List<string?>();
        var ingestor = new RecordingIngestor(failures: 2, onCall: async () =>
            checkpointsSeen.Add((await _store.ListAsync(Source, default)).Single().Checkpoint));
        using var stop = new CancellationTokenSource();

        var run = RunAsync(ingestor, stop.Token);
        // The lease is created by the run, which may not have got that far at the first look.
        var checkpoint = await Eventually.ObserveAsync(
            async () => (await _store.ListAsync(Source, default)).SingleOrDefault()?.Checkpoint, c => c == "302", TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Equal("302", checkpoint);
        Assert.Equal(3, ingestor.Calls.Count);
        Assert.All(ingestor.Calls, call => Assert.Equal(["301", "302"], call.Select(p => p.Origin.Split('/')[^1])));
        Assert.Equal([null, null, null], checkpointsSeen);
    }

    [Fact]
    public async Task Stops_without_checkpointing_when_another_instance_takes_the_lease()
    {
        _kinesis.GetRecords.Enqueue(ScriptedKinesis.Records(next: "it-2", "401"));
        _kinesis.GetRecords.Enqueue(ScriptedKinesis.Records(next: "it-3", "402"));
        var ingestor = new RecordingIngestor(onCall: async () =>
        {
            var row = (await _store.ListAsync(Source, default)).Single();
            await _store.TryTakeAsync(Source, ShardId, row.LeaseCounter, "other-instance", DateTimeOffset.UtcNow.AddMinutes(1), DateTimeOffset.UtcNow, default);
        });

        var outcome = await RunAsync(ingestor);

        Assert.Equal(ShardConsumerOutcome.LeaseLost, outcome);
        var lease = (await _store.ListAsync(Source, default)).Single();
        Assert.Equal("other-instance", lease.Owner);
        Assert.Null(lease.Checkpoint);
        Assert.Single(ingestor.Calls);
    }

    private async Task<ShardConsumerOutcome> RunAsync(ILogIngestor ingestor, CancellationToken cancellationToken = default)
    {
        var now = DateTimeOffset.UtcNow;
        var shard = new Shard(ShardId, null, null, null, new SequenceNumberRange("0", null));
        await _store.EnsureLeasesAsync(Source, [shard], now, default);
        var taken = await _store.TryTakeAsync(Source, ShardId, 0, "me", now.AddMinutes(5), now, default);
        var lease = new HeldShardLease(ShardId, taken!.Value.Counter, now.AddMinutes(5), null, hasParents: false);
        Assert.True(KinesisSource.TryResolve(Source, new SourceSpec("stream", null, "us-east-1", "http://scripted.test", "TRIM_HORIZON", null, null, null),
            "us-east-1", out var source, out _));
        var client = new KinesisClient(new HttpClient(_kinesis), source!.Endpoint, KinesisTestStream.Credentials, TimeProvider.System);
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var services = new KinesisConsumerServices(_store, ingestor, new KinesisMetrics(meters), _options, TimeProvider.System, NullLoggerFactory.Instance);
        var consumer = new ShardConsumer(source, lease, "me", client, services, NullLogger<ShardConsumer>.Instance);
        return await consumer.RunAsync(cancellationToken);
    }

    /// <summary>Answers GetShardIterator with a fresh iterator and GetRecords from a script, recording every call.</summary>
    private sealed class ScriptedKinesis : HttpMessageHandler
    {
        public Queue<Func<HttpResponseMessage>> GetRecords { get; } = new();

        public List<(string Operation, JsonElement Body, DateTimeOffset At)> Calls { get; } = [];

        public static HttpResponseMessage Throttled() =>
            Json(HttpStatusCode.BadRequest, """{"__type":"ProvisionedThroughputExceededException","message":"Rate exceeded for shard"}""");

        public static HttpResponseMessage Expired() =>
            Json(HttpStatusCode.BadRequest, """{"__type":"ExpiredIteratorException","message":"Iterator expired"}""");

        public static HttpResponseMessage ShardEnd() => Json(HttpStatusCode.OK, """{"Records":[],"MillisBehindLatest":0}""");

        public static Func<HttpResponseMessage> Records(string next, params string[] sequenceNumbers) =>
            Records(next, sequenceNumbers, s => Encoding.UTF8.GetBytes("payload " + s));

        /// <summary>Records whose data are <paramref name="dataBytes"/> bytes each.</summary>
        public static Func<HttpResponseMessage> Records(string next, int dataBytes, params string[] sequenceNumbers) =>
            Records(next, sequenceNumbers, s => Encoding.UTF8.GetBytes(("payload " + s).PadRight(dataBytes, '.')));

        private static Func<HttpResponseMessage> Records(string next, string[] sequenceNumbers, Func<string, byte[]> data) => () => Json(HttpStatusCode.OK, JsonSerializer.Serialize(new
        {
            Records = sequenceNumbers.Select(s => new { SequenceNumber = s, Data = Convert.ToBase64String(data(s)), PartitionKey = "k" }),
            NextShardIterator = next,
            MillisBehindLatest = 1000,
        }));

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.StartsWith("AWS4-HMAC-SHA256 ", request.Headers.GetValues("Authorization").Single());
            var operation = request.Headers.GetValues("X-Amz-Target").Single()["Kinesis_20131202.".Length..];
            var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
            lock (Calls)
            {
                Calls.Add((operation, body, DateTimeOffset.UtcNow));
            }
            return operation switch
            {
                "GetShardIterator" => Json(HttpStatusCode.OK, $$"""{"ShardIterator":"iterator-{{Calls.Count}}"}"""),
                "GetRecords" => GetRecords.TryDequeue(out var next) ? next() : Records("iterator-more")(),
                _ => Json(HttpStatusCode.BadRequest, """{"__type":"UnknownOperationException"}"""),
            };
        }

        private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
            new(status) { Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.1") };
    }

    private sealed class RecordingIngestor(int failures = 0, Func<Task>? onCall = null) : ILogIngestor
    {
        public List<IReadOnlyList<RawPayload>> Calls { get; } = [];

        public async Task<IngestOutcome> IngestAsync(IngestionSource source, PayloadKind kind, IReadOnlyList<RawPayload> payloads, CancellationToken cancellationToken)
        {
            Calls.Add(payloads);
            if (onCall is not null)
            {
                await onCall();
            }
            if (Calls.Count <= failures)
            {
                throw new InvalidOperationException("The broker is unreachable.");
            }
            return new IngestOutcome(new IngestResult(payloads.Count, 0, 0, 0), null, null);
        }
    }
}
