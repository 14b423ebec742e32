using Npgsql;

namespace Platform.AppHost.Tests;

/// <summary>
/// The real AppHost started whole in its external mode, against the servers <c>./platform test</c> started, with a
/// test's kinesalite stream as the Kinesis service: the settings, start and first call every test that starts it shares
/// (<c>Running_the_whole_platform</c> here, and the console's tests, which link this file).
/// </summary>
internal static class ExternalPlatform
{
    /// <summary>Generous: the services start, migrate and catch up at once, and on a loaded 2-core machine that takes minutes.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(8);

    /// <summary>The AppHost's settings (without the leading <c>--</c>) for the external mode, reading <paramref name="stream"/>.</summary>
    public static string[] Settings(KinesisTestStream stream)
    {
        var server = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Database = null };
        return
        [
            "Platform:Infrastructure=external",
            $"ConnectionStrings:postgres={server.ConnectionString}",
            $"ConnectionStrings:rabbitmq={TestServers.RabbitMq}",
            $"Platform:Kinesis:StreamName={stream.Name}",
            "Platform:Kinesis:Region=us-east-1",
            $"Platform:Kinesis:Endpoint={TestServers.Kinesis}",
        ];
    }

    /// <summary>
    /// Builds the application, ingestion given the credentials the standard chain finds as an operator's environment
    /// would hold them, <paramref name="accessKey"/> (kinesalite checks that requests are signed, not by whom).
    /// </summary>
    public static async Task<DistributedApplication> BuildAsync(IDistributedApplicationTestingBuilder builder, string accessKey)
    {
        var ingestion = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == PlatformResources.Ingestion);
        builder.CreateResourceBuilder(ingestion)
            .WithEnvironment("AWS_ACCESS_KEY_ID", accessKey)
            .WithEnvironment("AWS_SECRET_ACCESS_KEY", accessKey);
        return await builder.BuildAsync();
    }

    /// <summary>
    /// Starts <paramref name="app"/> and waits until each of <paramref name="services"/> is healthy, within
    /// <see cref="StartTimeout"/>; <paramref name="started"/> runs once the application has started, before the wait.
    /// </summary>
    public static async Task StartAsync(DistributedApplication app, IEnumerable<string> services, Action? started = null)
    {
        using var starting = new CancellationTokenSource(StartTimeout);
        await app.StartAsync(starting.Token);
        started?.Invoke();
        foreach (var service in services)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(service, starting.Token);
        }
    }

    /// <summary>A client of <paramref name="service"/>'s REST API with <paramref name="adminKey"/>.</summary>
    public static HttpClient Client(this DistributedApplication app, string service, string adminKey)
    {
        var client = new HttpClient { BaseAddress = app.GetEndpoint(service, "http") };
        client.DefaultRequestHeaders.Add("X-Api-Key", adminKey);
        return client;
    }

    /// <summary>
    /// Deletes the seed stack's source: it reads the local mode's stream, which is not running here; without it ingestion
    /// reads the stream the AppHost was configured with, the test's.
    /// </summary>
    public static async Task DeleteSeedSourceAsync(this DistributedApplication app, string adminKey)
    {
        using var admin = app.Client(PlatformResources.Provisioning, adminKey);
        using var deleted = await admin.DeleteAsync("/v1/sources/security-logs");
        Assert.True(deleted.IsSuccessStatusCode, $"DELETE sources/security-logs: {(int)deleted.StatusCode} {await deleted.Content.ReadAsStringAsync()}");
    }
}
