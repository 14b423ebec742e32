using Platform.Provisioning;
using Platform.ServiceDefaults;

namespace Platform.Provisioning.Tests;

/// <summary>One provisioning service against the real Postgres and RabbitMQ, shared by the tests of a collection (names are unique per test).</summary>
public sealed class ProvisioningService : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();

    public ServiceHost<ProvisioningDbContext> Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = Start(_postgres.NewDatabaseConnectionString("provisioning"), RabbitMqServer.NewEntityPrefix());
        await Host.WaitUntilHealthyAsync();
    }

    /// <param name="seedStack">The seed stack file; none by default, so tests start from an empty store.</param>
    public static ServiceHost<ProvisioningDbContext> Start(string database, string busPrefix, string seedStack = "") =>
        new(PlatformResources.ProvisioningDb, database, busPrefix, new Dictionary<string, string?>
        {
            ["Platform:Provisioning:SeedStack"] = seedStack,
        });

    public HttpClient Admin() => Host.CreateAdminClient();

    /// <summary>Writes <paramref name="body"/> as admin to <c>/v1/{kind}/{name}</c>: how every test puts a resource at the door.</summary>
    public async Task<HttpResponseMessage> PutAsync(string kind, string name, HttpContent body)
    {
        using var admin = Admin();
        return await admin.PutAsync($"/v1/{kind}/{name}", body);
    }

    public HttpClient Anonymous() => Host.CreateClient(apiKey: null);

    /// <summary>Issues a key of <paramref name="role"/> through the API and returns a client that sends it.</summary>
    public async Task<HttpClient> ClientWithRoleAsync(string role)
    {
        var key = await IssueKeyAsync(Unique("key"), role);
        return Host.CreateClient(key);
    }

    public async Task<string> IssueKeyAsync(string name, string role)
    {
        using var admin = Admin();
        var response = await admin.PostAsJsonAsync("/v1/api-keys", new { name, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    /// <summary>A JSON body sent as written (AWS-shaped documents keep their casing; broken ones stay broken).</summary>
    public static StringContent JsonText(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent Yaml(string body) => new(body, Encoding.UTF8, "application/yaml");

    public static object LogGroup(int retention) => new { retentionInDays = retention };

    public static object Source(string stream = "security-logs", string position = "TRIM_HORIZON") =>
        new { streamName = stream, startingPosition = position, logGroup = "aws-cloudtrail-logs" };

    public const string RootRule =
        """
        title: Root account used
        logsource:
          product: aws
          service: cloudtrail
        detection:
          selection:
            userIdentity.type: Root
          condition: selection
        level: high
        """;
}

[CollectionDefinition(Name)]
public sealed class ProvisioningCollection : ICollectionFixture<ProvisioningService>
{
    public const string Name = "provisioning service";
}

internal static class Responses
{
    public static long Version(this HttpResponseMessage response) =>
        long.Parse(response.Headers.ETag!.Tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);
}
