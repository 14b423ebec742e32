using Platform.Ingestion.Storage;
using Platform.Alerting;
using Platform.Compliance;
using Platform.Detection;
using Platform.Ingestion;
using Platform.Http;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.EndToEnd.Tests;

/// <summary>A service under test: its host, and a /v1 path that needs the Read policy (200 for a key that holds it).</summary>
public sealed record RunningService(string Name, IServiceHost Host, string ReadPath);

/// <summary>What the tests need of a <see cref="ServiceHost{TEntryPoint}"/>, whatever its service.</summary>
public interface IServiceHost : IAsyncDisposable
{
    HttpClient CreateClient(string? apiKey);
}

internal sealed class Host<T>(
    string connectionName, string database, string busPrefix, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    : ServiceHost<T>(connectionName, database, busPrefix, settings, configureServices), IServiceHost where T : class;

/// <summary>
/// The services sharing one broker prefix (so they hear each other) and one Postgres server (a database each),
/// as a deployment would run them.
/// </summary>
public sealed class PlatformServices : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();

    public string BusPrefix { get; } = RabbitMqServer.NewEntityPrefix();

    public RunningService Provisioning { get; private set; } = null!;

    public IReadOnlyList<RunningService> Others { get; private set; } = [];

    public IEnumerable<RunningService> All => [Provisioning, .. Others];

    public RunningService Service(string name) => All.Single(s => s.Name == name);

    public async Task InitializeAsync()
    {
        S3 = await S3Listener.StartAsync();
        Provisioning = new RunningService("provisioning",
            new Host<ProvisioningDbContext>(PlatformResources.ProvisioningDb, Database("provisioning"), BusPrefix,
                new Dictionary<string, string?> { ["Platform:Provisioning:SeedStack"] = "", [OutboundAddresses.AllowPrivateTargetsSetting] = "true" }),
            "/v1/sources");
        Others =
        [
            new RunningService("ingestion", new Host<RawLogStore>(PlatformResources.IngestionDb, Database("ingestion"), BusPrefix,
                new Dictionary<string, string?> { [$"ConnectionStrings:{PlatformResources.Kinesis}"] = TestServers.Kinesis.ToString() },
                // kinesalite takes any signed request; the standard credential chain has nothing to sign with here.
                services => services.AddSingleton<AWSCredentials>(KinesisTestStream.Credentials)),
                "/v1/quarantine"),
            new RunningService("detection", new Host<DetectionDbContext>(PlatformResources.DetectionDb, Database("detection"), BusPrefix),
                "/v1/findings"),
            StartCompliance(),
            StartAlerting(),
        ];
        await Task.WhenAll(All.Select(async s =>
        {
            using var client = s.Host.CreateClient(ServiceHost<ProvisioningDbContext>.AdminKey);
            (await client.GetAsync("/alive")).EnsureSuccessStatusCode();
        }));
    }

    /// <summary>Compliance's summary is a read endpoint (admin, analyst): it answers 200 to a reader, 403 to an ingest key.</summary>
    /// <summary>Compliance, its S3 (configuration objects, PutBucketEncryption) the local <see cref="S3"/> listener.</summary>
    public RunningService StartCompliance() =>
        new("compliance", new Host<ComplianceDbContext>(PlatformResources.ComplianceDb, Database("compliance"), BusPrefix,
            new Dictionary<string, string?>
            {
                ["Platform:Compliance:S3:ServiceUrl"] = S3.Url,
                ["Platform:Compliance:S3:AccessKeyId"] = S3Listener.AccessKeyId,
                ["Platform:Compliance:S3:SecretAccessKey"] = S3Listener.SecretAccessKey,
            }),
            "/v1/compliance/summary");

    /// <summary>The S3 compliance talks to: records each request and checks its signature.</summary>
    public S3Listener S3 { get; private set; } = null!;

    public RunningService StartAlerting() =>
        new("alerting", new Host<AlertingDbContext>(PlatformResources.AlertingDb, Database("alerting"), BusPrefix,
            // The tests' webhook listeners are on loopback, as under ./platform run.
            new Dictionary<string, string?> { [OutboundAddresses.AllowPrivateTargetsSetting] = "true" }),
            "/v1/alarms");

    /// <summary>A database of its own on the platform's Postgres server, for <paramref name="service"/>.</summary>
    public string Database(string service) => _postgres.NewDatabaseConnectionString(service + "endtoend");

    public async Task<string> IssueKeyAsync(string name, string role)
    {
        using var admin = Provisioning.Host.CreateClient(ServiceHost<ProvisioningDbContext>.AdminKey);
        var response = await admin.PostAsJsonAsync("/v1/api-keys", new { name, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    public async Task RevokeKeyAsync(string name)
    {
        using var admin = Provisioning.Host.CreateClient(ServiceHost<ProvisioningDbContext>.AdminKey);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/api-keys/{name}")).StatusCode);
    }

    public async Task DisposeAsync()
    {
        foreach (var service in All)
        {
            await service.Host.DisposeAsync();
        }
        await _postgres.DisposeAsync();
        await S3.DisposeAsync();
    }


    /// <summary>
    /// Polls until <paramref name="service"/> answers its read path with <paramref name="expected"/> for <paramref name="key"/>;
    /// returns how long it took. Fails after <paramref name="timeout"/>, naming the last status.
    /// </summary>
    public static async Task<TimeSpan> WaitForStatusAsync(RunningService service, string key, HttpStatusCode expected, TimeSpan timeout)
    {
        using var client = service.Host.CreateClient(key);
        var started = DateTimeOffset.UtcNow;
        HttpStatusCode status;
        do
        {
            status = (await client.GetAsync(service.ReadPath)).StatusCode;
            if (status == expected)
            {
                return DateTimeOffset.UtcNow - started;
            }
            await Task.Delay(50);
        }
        while (DateTimeOffset.UtcNow - started < timeout);
        Assert.Fail($"{service.Name} still answers {(int)status} for the key after {timeout.TotalSeconds} s (expected {(int)expected}).");
        return timeout;
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformServices>
{
    public const string Name = "platform";
}
