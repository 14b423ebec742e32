using Platform.Compliance.Configuration;
using Platform.Compliance.Functions;

namespace Platform.Compliance.Tests;

/// <summary>
/// The compliance service on the real Postgres and RabbitMQ with evaluation's seams faked: configuration items from
/// <see cref="FakeConfigurationItems"/> (the intake part's seam) and rules from <see cref="FakeConfigRuleCompiler"/> (the
/// rules part's), runs polled every 100 ms, functions allowed on loopback. A bus of the test's own publishes what
/// provisioning and intake would, and hears every ComplianceChanged. Tests share it: each uses resource types,
/// accounts and rule names of its own.
/// </summary>
public sealed class EvaluationHost : ServiceFixture<ComplianceDbContext>
{
    public const string SigningSecret = "test-function-secret-0123456789";
    public const string AnalystKey = "test-analyst-key-0123456789";
    public const string IngestKey = "test-ingest-key-0123456789";

    public FakeConfigurationItems Items { get; } = new();

    public ConcurrentQueue<ComplianceChanged> Heard { get; } = new();

    protected override string Purpose => "evaluation";

    protected override void Hear(IRabbitMqReceiveEndpointConfigurator endpoint) => endpoint.OnEach<ComplianceChanged>(Heard.Enqueue);

    public override async Task WaitUntilReadyAsync(ServiceHost<ComplianceDbContext> host)
    {
        await host.WaitUntilReadyAsync();
        host.IssueKey("analyst", PlatformRoles.Analyst, AnalystKey);
        host.IssueKey("ingest", PlatformRoles.Ingest, IngestKey);
    }

    /// <summary>An instance of the service on this host's database and broker prefix (a second one for concurrency tests).</summary>
    public override ServiceHost<ComplianceDbContext> StartHost() => new(
        PlatformResources.ComplianceDb, ConnectionString, Prefix,
        new Dictionary<string, string?>
        {
            [$"{EvaluationOptions.Section}:RunPollInterval"] = "00:00:00.100",
            [$"{FunctionOptions.Section}:AllowPrivateTargets"] = "true",
            [$"{FunctionOptions.Section}:SigningSecret"] = SigningSecret,
            [$"{FunctionOptions.Section}:Timeout"] = "00:00:05",
        },
        services =>
        {
            services.AddSingleton<IConfigurationItems>(Items);
            services.AddSingleton<IConfigRuleCompiler>(sp => new FakeConfigRuleCompiler(sp.GetRequiredService<IConfigRuleFunctionInvoker>()));
        });

    /// <summary>Provisions a rule as provisioning does (its ConfigRuleProvisioned on the broker) and waits until its first run is done.</summary>
    public async Task ProvisionRuleAsync(string name, ConfigRuleSpec spec, long version = 1)
    {
        await PublishAsync(new ConfigRuleProvisioned(name, spec, version));
        var status = await WaitForRunAsync(name, s => s.State == RuleRunStates.Succeeded && s.LastRequestedTime is not null);
        Assert.True(status?.State == RuleRunStates.Succeeded, $"the first run of {name}: {JsonSerializer.Serialize(status)}");
    }

    /// <summary>Waits until the rule's evaluation status satisfies <paramref name="done"/>; returns the last seen (null: unknown rule).</summary>
    public async Task<Api.RuleEvaluationStatus?> WaitForRunAsync(string name, Func<Api.RuleEvaluationStatus, bool> done)
    {
        using var client = Host.CreateAdminClient();
        return await Eventually.ObserveAsync(async () =>
        {
            using var response = await client.GetAsync($"/v1/config-rules/{Uri.EscapeDataString(name)}/evaluation-status");
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<Api.RuleEvaluationStatus>(PlatformJson.Options) : null;
        }, s => s is not null && done(s));
    }

    /// <summary>Records <paramref name="item"/> as intake does: the current item changes, and ConfigurationItemRecorded goes on the broker.</summary>
    public async Task RecordAsync(ConfigurationItem item, long version = 1, Guid? messageId = null)
    {
        Items.Put(item);
        await PublishAsync(new ConfigurationItemRecorded(item, version, "api"), messageId);
    }

    /// <summary>Waits for the ComplianceChanged of the rule on the resource that brings it to <paramref name="complianceType"/>.</summary>
    public async Task<ComplianceChanged?> WaitForChangeAsync(string rule, string resourceId, string complianceType, TimeSpan? timeout = null) =>
        await Eventually.ObserveAsync(
            () => Task.FromResult(Heard.FirstOrDefault(c => c.ConfigRuleName == rule && c.ResourceId == resourceId && c.NewComplianceType == complianceType)),
            c => c is not null, timeout);

    public IReadOnlyList<ComplianceChanged> ChangesOf(string rule, string resourceId) =>
        Heard.Where(c => c.ConfigRuleName == rule && c.ResourceId == resourceId).OrderBy(c => c.Version).ToList();


    /// <summary>A resource type of the test's own, written as AWS writes them (<c>Test::Queue::1f0c…</c>), so the real compiler takes it in a Scope.</summary>
    public static string UniqueType(string resource) => $"Test::{resource}::{Guid.NewGuid():N}"[..(resource.Length + 20)];

    /// <summary>A configuration item of the test's shape: tags as given, deleted when <paramref name="deleted"/>.</summary>
    public static ConfigurationItem Item(
        string resourceType, string resourceId, string account, DateTimeOffset captured, IReadOnlyDictionary<string, string>? tags = null,
        bool deleted = false, string? supplementary = null) =>
        new(resourceType, resourceId, resourceId, account, "us-east-1", null, null, captured, deleted ? "ResourceDeleted" : "OK", null, null,
            deleted ? null : JsonDocument.Parse("{}").RootElement,
            supplementary is null ? null : JsonDocument.Parse(supplementary).RootElement,
            tags ?? new Dictionary<string, string>(), []);
}

[CollectionDefinition(Name)]
public sealed class EvaluationCollection : ICollectionFixture<EvaluationHost>
{
    public const string Name = "evaluation";
}

/// <summary>The intake part's seam as the tests need it: the current item of each resource, kept in memory.</summary>
public sealed class FakeConfigurationItems : IConfigurationItems
{
    private readonly ConcurrentDictionary<(string Type, string Id), ConfigurationItem> _items = new();

    public void Put(ConfigurationItem item) => _items[(item.ResourceType, item.ResourceId)] = item;

    public Task<ConfigurationItem?> FindAsync(string resourceType, string resourceId, CancellationToken cancellationToken) =>
        Task.FromResult(_items.GetValueOrDefault((resourceType, resourceId)));

    public Task<IReadOnlyList<ConfigurationItem>> ListAsync(
        string? awsAccountId, IReadOnlyCollection<string> resourceTypes, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ConfigurationItem>>(_items.Values
            .Where(i => (awsAccountId is null || i.AwsAccountId == awsAccountId) && resourceTypes.Contains(i.ResourceType))
            .OrderBy(i => i.ResourceType, StringComparer.Ordinal).ThenBy(i => i.ResourceId, StringComparer.Ordinal)
            .ToList());
}
