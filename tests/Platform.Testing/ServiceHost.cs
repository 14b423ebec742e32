using MassTransit;
using Platform.Messaging;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Auth;

namespace Platform.Testing;

/// <summary>
/// One of the platform's services, booted in-process against the real test Postgres (a fresh database)
/// and RabbitMQ (a fresh entity prefix), with a known admin key.
/// </summary>
/// <typeparam name="TEntryPoint">Any type of the service's assembly, e.g. its DbContext.</typeparam>
public class ServiceHost<TEntryPoint> : WebApplicationFactory<TEntryPoint> where TEntryPoint : class
{
    public const string AdminKey = "test-admin-key-0123456789";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configureServices;

    /// <param name="databaseConnectionName">The service's connection string name (e.g. <c>ingestiondb</c>).</param>
    /// <param name="databaseConnectionString">Its database; the service creates and migrates it.</param>
    /// <param name="busEntityPrefix">Share a prefix between hosts that must talk to each other.</param>
    public ServiceHost(
        string databaseConnectionName,
        string databaseConnectionString,
        string busEntityPrefix,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        _settings = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{databaseConnectionName}"] = databaseConnectionString,
            [$"ConnectionStrings:{PlatformBus.ConnectionName}"] = RabbitMqServer.ConnectionString,
            [PlatformBus.EntityPrefixSetting] = busEntityPrefix,
            [ApiKeyAuthenticationExtensions.BootstrapAdminKeySetting] = AdminKey,
            // No provisioning answers a test host's catch-up: its consumers do not wait for it.
            [LiveConfigurationGate.WaitSetting] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
        _configureServices = configureServices;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Settings win over appsettings: they are added last.
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        if (_configureServices is not null)
        {
            // After the service's own registrations, so a test's replacement wins.
            builder.ConfigureTestServices(_configureServices);
        }
    }

    /// <summary>A client that sends <paramref name="apiKey"/> (the admin key by default; null for none).</summary>
    public HttpClient CreateClient(string? apiKey)
    {
        var client = CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, apiKey);
        }
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public HttpClient CreateAdminClient() => CreateClient(AdminKey);

    /// <summary>
    /// Waits until /health answers 200: the database migrated and the bus connected, which on a loaded
    /// machine can take a few seconds after the host starts. Fails the test when it never does.
    /// </summary>
    public async Task WaitUntilHealthyAsync()
    {
        using var client = CreateClient(apiKey: null);
        var status = await Eventually.ObserveAsync(async () =>
        {
            using var response = await client.GetAsync("/health");
            return response.StatusCode;
        }, code => code == HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{typeof(TEntryPoint).Namespace} did not become healthy within 60 s: /health answers {(int)status}.");
        }
    }

    /// <summary>
    /// Waits until the service is healthy and its bus connected, so its queues are bound before a test publishes what
    /// it should hear. Fails the test when it never is.
    /// </summary>
    public async Task WaitUntilReadyAsync()
    {
        await WaitUntilHealthyAsync();
        var bus = Services.GetRequiredService<IBusControl>();
        var status = await Eventually.ObserveAsync(() => Task.FromResult(bus.CheckHealth().Status), s => s == BusHealthStatus.Healthy);
        if (status != BusHealthStatus.Healthy)
        {
            throw new InvalidOperationException($"{typeof(TEntryPoint).Namespace}'s bus did not connect: {status}.");
        }
    }

    /// <summary>Makes <paramref name="key"/> a key of <paramref name="role"/> on this instance, as if provisioning had issued it.</summary>
    public void IssueKey(string name, string role, string key) =>
        Services.GetRequiredService<ApiKeyRegistry>().Upsert(new ApiKeyIdentity(name, role, ApiKeyRegistry.Hash(key)));
}
