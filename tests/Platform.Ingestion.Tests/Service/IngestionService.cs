using System.Collections.Concurrent;
using System.Net.Http.Headers;
using MassTransit;
using Platform.Contracts;
using Platform.Http;

namespace Platform.Ingestion.Tests.Service;

/// <summary>
/// The ingestion service on real Postgres and RabbitMQ, with a listener of its own on the broker that records
/// every <c>LogEventsIngested</c> the service publishes.
/// </summary>
public sealed class IngestionService : IAsyncLifetime
{
    public const int MaxRequestBytes = 1024 * 1024;
    public const int MaxDecodedBytes = 8 * 1024 * 1024;
    public const string AnalystKey = "test-analyst-key-0123456789";
    public const string IngestKey = "test-ingest-key-0123456789";
    public const string FirehoseAccessKey = "test-firehose-access-key";

    /// <summary>Query runs' statement timeout: long enough for the tests' queries, short enough to wait for.</summary>
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(4);

    private readonly PostgresServer _postgres = new();
    private readonly string _busPrefix = RabbitMqServer.NewEntityPrefix();
    private IBusControl? _listener;

    public ServiceHost<RawLogStore> Host { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public ConcurrentQueue<LogEventsIngested> Published { get; } = new();

    public IBus Bus => _listener!;

    /// <summary>The broker prefix the service and its listener share (for a test's own listener).</summary>
    public string BusPrefix => _busPrefix;

    public NpgsqlDataSource Database => Host.Services.GetRequiredService<NpgsqlDataSource>();

    public T Service<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        _listener = RabbitMqServer.CreateBus(_busPrefix, _busPrefix + "-test-log-events", endpoint => endpoint.OnEach<LogEventsIngested>(Published.Enqueue));
        await _listener.StartAsync();

        Host = new ServiceHost<RawLogStore>(
            PlatformResources.IngestionDb,
            _postgres.NewDatabaseConnectionString("ingest"),
            _busPrefix,
            new Dictionary<string, string?>
            {
                ["Platform:Ingestion:MaxRequestBytes"] = MaxRequestBytes.ToString(),
                ["Platform:Ingestion:MaxDecodedBytes"] = MaxDecodedBytes.ToString(),
                ["Platform:Ingestion:Firehose:AccessKey"] = FirehoseAccessKey,
                ["Platform:Ingest:RequestsPerSecond"] = "1000",
                // The tests sweep explicitly.
                ["Platform:Ingestion:SweepInterval"] = "01:00:00",
                ["Platform:Ingestion:Queries:StatementTimeout"] = QueryTimeout.ToString(),
            });
        Admin = Host.CreateAdminClient();
        Host.IssueKey("test-analyst", PlatformRoles.Analyst, AnalystKey);
        Host.IssueKey("test-ingest", PlatformRoles.Ingest, IngestKey);
        await Host.WaitUntilHealthyAsync();
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Host.DisposeAsync();
        if (_listener is not null)
        {
            await _listener.StopAsync();
        }
        await _postgres.DisposeAsync();
    }

    public async Task<HttpResponseMessage> PostAsync(string path, byte[] body, string? apiKey = ServiceHost<RawLogStore>.AdminKey)
    {
        using var client = Host.CreateClient(apiKey);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await client.PostAsync(path, content);
    }

    public async Task<IngestCounts> IngestAsync(string path, byte[] body)
    {
        using var response = await PostAsync(path, body);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<IngestCounts>(PlatformJson.Options))!;
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Admin.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>Asserts <paramref name="response"/> is a 400 validation problem naming <paramref name="field"/>.</summary>
    public static async Task AssertProblemNamesAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"the problem names no '{field}': {problem}");
    }

    /// <summary>Waits until every id has been published at least once (or fails after a few seconds).</summary>
    public async Task WaitForPublishedAsync(IEnumerable<string> eventIds)
    {
        var wanted = eventIds.ToHashSet(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            var seen = PublishCounts();
            if (wanted.All(seen.ContainsKey))
            {
                return;
            }
            await Task.Delay(25);
        }
        var missing = wanted.Where(id => !PublishCounts().ContainsKey(id)).ToArray();
        Assert.Fail($"Not published within 15 s: {string.Join(", ", missing.Take(5))} ({missing.Length} missing)");
    }

    public Dictionary<string, int> PublishCounts() =>
        Published.SelectMany(m => m.Events).GroupBy(e => e.EventId).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}

public sealed record IngestCounts(int Accepted, int Skipped, int Quarantined, int ControlMessages);

[CollectionDefinition(Name)]
public sealed class IngestionServiceCollection : ICollectionFixture<IngestionService>
{
    public const string Name = "ingestion service";
}
