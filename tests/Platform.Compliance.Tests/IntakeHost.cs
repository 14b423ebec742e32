using System.IO.Compression;
using Platform.Contracts.Ingestion;

namespace Platform.Compliance.Tests;

/// <summary>
/// One compliance service on the real Postgres and RabbitMQ for the intake tests, with a key per role, a local S3
/// listener for oversized items and snapshots, and a bus of the test's own that publishes LogEventsIngested and hears
/// the ConfigurationItemRecorded the service publishes.
/// </summary>
public sealed class IntakeHost : ServiceFixture<ComplianceDbContext>
{
    /// <summary>The most items one delivery may hold here (small, so the limit is testable).</summary>
    public const int MaxItems = 100;

    /// <summary>The largest body taken here.</summary>
    public const int MaxRequestBytes = 1024 * 1024;

    public S3Listener S3 { get; private set; } = null!;

    /// <summary>Every ConfigurationItemRecorded heard on the broker.</summary>
    public ConcurrentQueue<ConfigurationItemRecorded> Heard { get; } = new();

    public HttpClient ClientFor(string role) => Host.CreateClient($"test-{role}-key-0123456789");

    public HttpClient Admin() => Host.CreateAdminClient();

    protected override string Purpose => "intake";

    protected override async Task StartDependenciesAsync() => S3 = await S3Listener.StartAsync();

    protected override ValueTask StopDependenciesAsync() => S3.DisposeAsync();

    protected override void Hear(IRabbitMqReceiveEndpointConfigurator endpoint) => endpoint.OnEach<ConfigurationItemRecorded>(Heard.Enqueue);

    public override ServiceHost<ComplianceDbContext> StartHost() => new(
        PlatformResources.ComplianceDb, ConnectionString, Prefix,
        new Dictionary<string, string?>
        {
            ["Platform:Compliance:S3:ServiceUrl"] = S3.Url,
            ["Platform:Compliance:S3:AccessKeyId"] = S3Listener.AccessKeyId,
            ["Platform:Compliance:S3:SecretAccessKey"] = S3Listener.SecretAccessKey,
            ["Platform:Compliance:Intake:MaxItems"] = MaxItems.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Platform:Compliance:Intake:MaxRequestBytes"] = MaxRequestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    public override async Task WaitUntilReadyAsync(ServiceHost<ComplianceDbContext> host)
    {
        await host.WaitUntilReadyAsync();
        foreach (var role in new[] { PlatformRoles.Analyst, PlatformRoles.Ingest })
        {
            host.IssueKey(role, role, $"test-{role}-key-0123456789");
        }
    }

    /// <summary>Posts <paramref name="json"/> to <c>/v1/configuration-items</c> as the ingest role.</summary>
    public async Task<HttpResponseMessage> PostItemsAsync(string json)
    {
        using var client = ClientFor(PlatformRoles.Ingest);
        return await client.PostAsync("/v1/configuration-items", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
    }

    /// <summary>The resource's current item, or null (404).</summary>
    public async Task<JsonElement?> CurrentAsync(string resourceType, string resourceId)
    {
        using var client = ClientFor(PlatformRoles.Analyst);
        using var response = await client.GetAsync($"/v1/configuration/resources/{resourceType}/{Uri.EscapeDataString(resourceId)}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The resource's history (first page), newest first.</summary>
    public async Task<JsonElement> HistoryAsync(string resourceType, string resourceId, string query = "")
    {
        using var client = ClientFor(PlatformRoles.Analyst);
        using var response = await client.GetAsync($"/v1/compliance/resources/{resourceType}/{Uri.EscapeDataString(resourceId)}/history{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }
        return buffer.ToArray();
    }
}

[CollectionDefinition(Name)]
public sealed class IntakeCollection : ICollectionFixture<IntakeHost>
{
    public const string Name = "intake";
}
