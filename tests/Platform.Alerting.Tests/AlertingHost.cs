namespace Platform.Alerting.Tests;

/// <summary>One alerting service on the real Postgres and RabbitMQ, shared by the tests of a collection, with a key per role.</summary>
public sealed class AlertingHost : ServiceFixture<AlertingDbContext>
{
    /// <summary>The messages the service finished consuming, by message id.</summary>
    public ConsumedMessages Consumed { get; } = new();

    /// <summary>What the service told its metric data listeners.</summary>
    public RecordingMetricDataListener MetricData { get; } = new();

    /// <summary>A client whose key holds <paramref name="role"/> (analyst or ingest; the host's admin key is its own).</summary>
    public HttpClient ClientFor(string role) => Host.CreateClient(KeyFor(role));

    /// <summary>Posts <paramref name="body"/> as JSON with the admin key.</summary>
    public async Task<HttpResponseMessage> PostAsAdminAsync(string path, object body)
    {
        using var admin = Host.CreateAdminClient();
        return await admin.PostAsJsonAsync(path, body);
    }

    /// <summary>Posts <paramref name="body"/> as admin and returns the one reason the 400 answer gives for <paramref name="field"/>.</summary>
    public async Task<string> RefusalReasonAsync(string path, object body, string field)
    {
        using var response = await PostAsAdminAsync(path, body);
        return Assert.Single((await response.ProblemFieldsAsync())[field]);
    }

    /// <summary>Asserts posting <paramref name="body"/> is 401 without a key and 403 with an ingest key.</summary>
    public async Task AssertNoKeyIs401AndAnIngestKeyIs403Async(string path, object body)
    {
        using var anonymous = Host.CreateClient(apiKey: null);
        using var ingest = ClientFor(PlatformRoles.Ingest);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync(path, body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.PostAsJsonAsync(path, body)).StatusCode);
    }

    private static string KeyFor(string role) => $"test-{role}-key-0123456789";

    protected override string Purpose => "alerting";

    public override ServiceHost<AlertingDbContext> StartHost() => new(
        PlatformResources.AlertingDb, ConnectionString, Prefix,
        configureServices: services =>
        {
            services.AddSingleton(Consumed);
            services.AddConsumeObserver(sp => sp.GetRequiredService<ConsumedMessages>());
            services.AddSingleton<IMetricDataListener>(MetricData);
        });

    public override async Task WaitUntilReadyAsync(ServiceHost<AlertingDbContext> host)
    {
        await host.WaitUntilReadyAsync();
        foreach (var role in new[] { PlatformRoles.Analyst, PlatformRoles.Ingest })
        {
            host.IssueKey(role, role, KeyFor(role));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AlertingCollection : ICollectionFixture<AlertingHost>
{
    public const string Name = "alerting";
}
