using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Platform.AppHost.Tests;

namespace Platform.Console.Tests;

/// <summary>
/// The whole platform as the AppHost starts it, the console among its six services, against the servers
/// <c>./platform test</c> started (external mode, as <c>Running_the_whole_platform</c> starts it), and a headless Debian
/// chromium driven by Playwright. Shared by the console's tests (a collection fixture: the platform starts once).
/// Every service gets a database and a bus prefix of its own and a free port, so this platform runs beside any other
/// test's (the fixed local ports stay free).
/// </summary>
public sealed class ConsolePlatform : IAsyncLifetime
{
    public const string AdminKey = "console-test-admin-key";

    /// <summary>Where Debian's chromium package puts the browser (Playwright's download is not reachable here).</summary>
    public const string Chromium = "/usr/bin/chromium";

    private static readonly (string Service, string Database)[] Services =
    [
        (PlatformResources.Ingestion, PlatformResources.IngestionDb),
        (PlatformResources.Detection, PlatformResources.DetectionDb),
        (PlatformResources.Compliance, PlatformResources.ComplianceDb),
        (PlatformResources.Alerting, PlatformResources.AlertingDb),
        (PlatformResources.Provisioning, PlatformResources.ProvisioningDb),
        (PlatformResources.Archiver, PlatformResources.ArchiverDb),
    ];

    private readonly PostgresServer _postgres = new();
    private KinesisTestStream _stream = null!;
    private DistributedApplication _app = null!;
    private IPlaywright _playwright = null!;
    private readonly CancellationTokenSource _stopLogs = new();
    private readonly List<Task> _logWriters = [];

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The console's address.</summary>
    public Uri Console { get; private set; } = null!;

    /// <summary>Where the tests' screenshots go: the test results directory, kept as artifacts.</summary>
    public static string Artifacts { get; } = Path.Combine(SharedData.RepositoryRoot, "TestResults", "console-screenshots");

    /// <summary>Where each service's log goes (<c>{service}.log</c>), kept as artifacts: a failing browser test is read there.</summary>
    public static string Logs { get; } = Path.Combine(SharedData.RepositoryRoot, "TestResults", "console-logs");

    public async Task InitializeAsync()
    {
        // A missing browser fails the tests (under CI=true as anywhere): they never skip.
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: run ./platform test (it installs Debian's chromium), or apt-get install -y chromium.");
        }

        _stream = await KinesisTestStream.CreateAsync(1, "console");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Platform_AppHost>(
        [
            $"--Platform:Auth:BootstrapAdminKey={AdminKey}",
            .. ExternalPlatform.Settings(_stream).Select(setting => "--" + setting),
        ]);
        var prefix = RabbitMqServer.NewEntityPrefix();
        foreach (var (service, database) in Services)
        {
            OnFreePort(builder, service)
                .WithEnvironment($"ConnectionStrings__{database}", _postgres.NewDatabaseConnectionString(service))
                .WithEnvironment("Platform__Bus__EntityPrefix", prefix);
        }
        OnFreePort(builder, PlatformResources.Console);
        _app = await ExternalPlatform.BuildAsync(builder, "console-test");
        await ExternalPlatform.StartAsync(_app, Services.Select(s => s.Service).Append(PlatformResources.Console), started: WriteServiceLogs);
        Console = _app.GetEndpoint(PlatformResources.Console, "http");
        await _app.DeleteSeedSourceAsync(AdminKey);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox"], // sessions and CI run as root
        });
        Directory.CreateDirectory(Artifacts);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await _app.StopAsync();
        await _stopLogs.CancelAsync();
        await Task.WhenAll(_logWriters);
        _stopLogs.Dispose();
        await _app.DisposeAsync();
        await _stream.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    /// <summary>
    /// Copies every service's log lines, from its start, into <see cref="Logs"/> until the platform stops. Watched by
    /// resource once started (its process has the name the orchestrator gave it, not the resource's).
    /// </summary>
    private void WriteServiceLogs()
    {
        Directory.CreateDirectory(Logs);
        var logs = _app.Services.GetRequiredService<ResourceLoggerService>();
        var model = _app.Services.GetRequiredService<DistributedApplicationModel>();
        foreach (var service in model.Resources.OfType<ProjectResource>())
        {
            _logWriters.Add(Task.Run(async () =>
            {
                await using var file = new StreamWriter(Path.Combine(Logs, $"{service.Name}.log"), append: false);
                try
                {
                    await foreach (var lines in logs.WatchAsync(service).WithCancellation(_stopLogs.Token))
                    {
                        foreach (var line in lines)
                        {
                            await file.WriteLineAsync(line.Content);
                        }
                        await file.FlushAsync();
                    }
                }
                catch (OperationCanceledException)
                {
                    // The platform stopped.
                }
            }));
        }
    }

    /// <summary>A client of <paramref name="service"/>'s REST API with the admin key.</summary>
    public HttpClient Client(string service) => _app.Client(service, AdminKey);

    /// <summary>
    /// Waits until <paramref name="page"/>'s address contains each of <paramref name="parts"/>, reading the address only:
    /// Playwright's <c>WaitForURLAsync</c> also waits for a load state of the new document, and a signed-in navigation once
    /// never reported <c>DOMContentLoaded</c> within 90 s beside the faults drills (the page had arrived: "NetworkIdle"
    /// fired). What the tests then read, they wait for.
    /// </summary>
    public static Task ArrivedAtAsync(IPage page, params string[] parts) =>
        Assertions.Expect(page).ToHaveURLAsync(
            new System.Text.RegularExpressions.Regex(string.Concat(parts.Select(part => $"(?=.*{System.Text.RegularExpressions.Regex.Escape(part)})"))),
            new() { Timeout = 90_000 });

    /// <summary>A browser page at 1280 px, signed in to the console with <paramref name="key"/>.</summary>
    public async Task<IPage> SignedInPageAsync(string key = AdminKey)
    {
        var page = await NewPageAsync();
        await page.GotoAsync(new Uri(Console, "/login").ToString());
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await ArrivedAtAsync(page, "/dashboards");
        return page;
    }

    /// <summary>
    /// A page in a context of its own. Navigations may take up to 90 s (Playwright's default is 30): the suite runs on
    /// two cores beside the faults drills, and one navigation to the dashboards once took longer than 30 s to load there;
    /// how fast a page loads is not what these tests are about.
    /// </summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultNavigationTimeout(90_000);
        return await context.NewPageAsync();
    }

    /// <summary>Opens <paramref name="path"/> signed in: the page answers 400 and says which field is wrong.</summary>
    public async Task AssertPageRefusesAsync(string path, string field)
    {
        var page = await SignedInPageAsync();

        var response = await page.GotoAsync(new Uri(Console, path).ToString());

        Assert.Equal(400, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(field);
        await page.Context.CloseAsync();
    }

    /// <summary>Saves a full-page screenshot as a test artifact and prints where.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(Artifacts, $"{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        System.Console.WriteLine($"screenshot: {path}");
        return path;
    }

    /// <summary>PUTs an AWS-shaped spec (raw JSON keeps its casing) through provisioning.</summary>
    public async Task PutAsync(string kind, string name, string json)
    {
        using var admin = Client(PlatformResources.Provisioning);
        await admin.PutResourceAsync(kind, name, json);
    }

    /// <summary>Log events in through ingestion's CloudWatch Logs door, as a subscription of <paramref name="logGroup"/> delivers them.</summary>
    public async Task IngestAsync(string logGroup, IEnumerable<string> messages)
    {
        using var ingestion = Client(PlatformResources.Ingestion);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var events = messages.Select((message, i) => SubscriptionMessages.LogEvent($"{now}{i:D4}{Guid.NewGuid():N}"[..40], now, message));
        using var body = new ByteArrayContent(SubscriptionMessages.Gzip(SubscriptionMessages.DataMessage(events, logGroup, logStream: "console-test")));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await ingestion.PostAsync("/v1/ingest/cloudwatch-logs", body);
        Assert.True(response.IsSuccessStatusCode, $"ingest {logGroup}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// A CreateAccessKey for bob by a principal of its own, ingested through the trail's log group; the finding detection
    /// raises from it, the event's id and the principal.
    /// </summary>
    public async Task<(Guid Id, string EventId, string Principal)> RaiseFindingAsync()
    {
        var eventId = Guid.NewGuid().ToString();
        var principal = $"arn:aws:iam::123456789012:user/u{Guid.NewGuid():N}";
        var record = CloudTrailRecords.CreateAccessKey(eventId);
        record["userIdentity"]!["arn"] = principal;
        await IngestAsync("aws-cloudtrail-logs", [record.ToJsonString()]);
        using var detection = Client(PlatformResources.Detection);
        var raised = await Eventually.ObserveAsync(
            async () => (await detection.GetFromJsonAsync<JsonElement>($"/v1/findings?principal={Uri.EscapeDataString(principal)}")).GetProperty("items").EnumerateArray()
                .Where(f => f.GetProperty("evidence").EnumerateArray().Any(e => e.GetProperty("eventId").GetString() == eventId)).ToList(),
            found => found.Count > 0, TimeSpan.FromSeconds(60));
        Assert.True(raised.Count > 0, $"no finding for event {eventId} within 60 s (see {Logs})");
        return (raised[0].GetProperty("id").GetGuid(), eventId, principal);
    }

    /// <summary>
    /// Serves <paramref name="service"/> on a free loopback port instead of its fixed one (the endpoint stays unproxied,
    /// and the console is told the new address through the AppHost's references).
    /// </summary>
    private static IResourceBuilder<ProjectResource> OnFreePort(IDistributedApplicationTestingBuilder builder, string service)
    {
        var project = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == service);
        var port = FreePort();
        var http = project.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http");
        http.Port = port;
        http.TargetPort = port;
        return builder.CreateResourceBuilder(project);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsolePlatform>
{
    public const string Name = "console";
}
