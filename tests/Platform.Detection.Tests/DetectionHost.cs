using Microsoft.Extensions.DependencyInjection;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Auth;

namespace Platform.Detection.Tests;

/// <summary>
/// One detection service on the real Postgres and RabbitMQ, with a test bus on its entity prefix. Shared by
/// the tests of a collection: each test uses principals, IPs and rules of its own.
/// </summary>
public class DetectionHost : IAsyncLifetime
{
    public const string AnalystKey = "test-analyst-key-0123456789";
    public const string IngestKey = "test-ingest-key-0123456789";

    private readonly PostgresServer _postgres = new();

    public ServiceHost<DetectionDbContext> Host { get; private set; } = null!;

    public TestBus Bus { get; private set; } = null!;

    public ConsumedMessages Consumed { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public string Prefix { get; } = RabbitMqServer.NewEntityPrefix();

    public string ConnectionString { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = _postgres.NewDatabaseConnectionString("detection");
        Bus = await TestBus.StartAsync(Prefix);
        Host = Start(ConnectionString, Prefix, Consumed, Settings);
        Client = Host.CreateAdminClient();
        await Host.WaitUntilReadyAsync();
        Host.IssueKey("analyst", PlatformRoles.Analyst, AnalystKey);
        Host.IssueKey("ingest", PlatformRoles.Ingest, IngestKey);
    }

    /// <summary>Settings of the host beyond the defaults (a fixture deriving from this one sets its own).</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    public static ServiceHost<DetectionDbContext> Start(
        string connectionString, string prefix, ConsumedMessages? consumed = null, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null) =>
        new(PlatformResources.DetectionDb, connectionString, prefix, settings, configureServices: services =>
        {
            if (consumed is not null)
            {
                services.AddSingleton(consumed);
                services.AddConsumeObserver(sp => sp.GetRequiredService<ConsumedMessages>());
            }

            configureServices?.Invoke(services);
        });

    /// <summary>Provisions a custom detection rule through the bus and waits until the host lists it.</summary>
    public async Task ProvisionRuleAsync(string name, string yaml, string ruleId, long version = 1, bool enabled = true)
    {
        await Bus.PublishAsync(new DetectionRuleProvisioned(name, new DetectionRuleSpec(yaml, enabled), version));
        var rules = await Eventually.ObserveAsync(
            () => Client.GetFromJsonAsync<RuleList>("/v1/rules", PlatformJson.Options)!,
            list => list!.Items.Any(r => r.Id == ruleId && r.Enabled == enabled));
        Assert.Contains(rules!.Items, r => r.Id == ruleId && r.Enabled == enabled);
    }

    public async Task<FindingPage> FindingsAsync(string query) =>
        (await Client.GetFromJsonAsync<FindingPage>("/v1/findings?" + query, PlatformJson.Options))!;

    /// <summary>Polls the list until <paramref name="done"/> holds for the findings matching <paramref name="query"/>.</summary>
    public async Task<IReadOnlyList<FindingView>> WaitForFindingsAsync(string query, Func<IReadOnlyList<FindingView>, bool> done) =>
        // 60 s: the first batch after start also pays for compiling the rules' automata and warming the database path.
        await Eventually.ObserveAsync(async () => (IReadOnlyList<FindingView>)(await FindingsAsync(query)).Items, done, TimeSpan.FromSeconds(60));

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        await Bus.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;
}

[CollectionDefinition(Name)]
public sealed class DetectionCollection : ICollectionFixture<DetectionHost>
{
    public const string Name = "detection";
}
