namespace Platform.Ingestion.Tests.Service;

/// <summary>Ingest endpoints are rate-limited per key: a noisy sender gets 429 and does not starve the others.</summary>
public sealed class Ingesting_too_fast : IAsyncLifetime
{
    private const string NoisyKey = "test-noisy-ingest-key-0123456789";
    private const string QuietKey = "test-quiet-ingest-key-0123456789";
    private const string FirehoseAccessKey = "test-firehose-access-key-0123456789";
    private readonly PostgresServer _postgres = new();
    private ServiceHost<RawLogStore> _host = null!;

    public async Task InitializeAsync()
    {
        _host = new ServiceHost<RawLogStore>(
            PlatformResources.IngestionDb, _postgres.NewDatabaseConnectionString("ratelimit"), RabbitMqServer.NewEntityPrefix(),
            new Dictionary<string, string?>
            {
                [ApiKeyAuthenticationExtensions.IngestRequestsPerSecondSetting] = "1",
                ["Platform:Ingestion:Firehose:AccessKey"] = FirehoseAccessKey,
            });
        _host.IssueKey("noisy", PlatformRoles.Ingest, NoisyKey);
        _host.IssueKey("quiet", PlatformRoles.Ingest, QuietKey);
        await _host.WaitUntilHealthyAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task A_key_over_its_rate_gets_429_with_retry_after_while_another_key_is_served()
    {
        using var noisy = _host.CreateClient(NoisyKey);
        using var quiet = _host.CreateClient(QuietKey);

        // A burst of twice the rate is allowed; the requests after it are refused until tokens return.
        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add(await noisy.PostAsync("/v1/ingest/cloudtrail", new StringContent("""{"Records":[]}""")));
        }
        using var fromQuiet = await quiet.PostAsync("/v1/ingest/cloudtrail", new StringContent("""{"Records":[]}"""));

        var refused = statuses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        Assert.Equal(HttpStatusCode.Accepted, statuses[0].StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, fromQuiet.StatusCode);
    }

    [Fact]
    public async Task A_flood_without_a_valid_key_is_refused_401_and_does_not_make_a_firehose_sender_429()
    {
        using var client = _host.CreateClient(apiKey: null);
        async Task<HttpStatusCode> PostFirehoseAsync(string? accessKey)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/ingest/firehose")
            {
                Content = new StringContent("""{"requestId":"flood","records":[]}"""),
            };
            if (accessKey is not null)
            {
                request.Headers.Add("X-Amz-Firehose-Access-Key", accessKey);
            }
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        // Ten times the burst, without a key or with a wrong one.
        var flood = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            flood.Add(await PostFirehoseAsync(i % 2 == 0 ? null : "wrong-key"));
        }
        // The sender's burst (twice its rate) right after.
        var sender = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            sender.Add(await PostFirehoseAsync(FirehoseAccessKey));
        }

        Assert.All(flood, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.All(sender, status => Assert.Equal(HttpStatusCode.OK, status));
    }
}
