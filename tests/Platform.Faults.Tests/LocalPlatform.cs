using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;
using Xunit.Abstractions;
using Platform.AppHost.Infrastructure;
using Platform.AppHost.Kinesis;
using Platform.Kinesis;
using Ports = Platform.ServiceDefaults.PlatformResources.LocalPorts;

namespace Platform.Faults.Tests;

/// <summary>
/// The real AppHost whole, in its local mode: Postgres, RabbitMQ, kinesalite and the local S3 are the AppHost's own
/// resources (so they restart through its commands, as they would on the dashboard), their data in a scratch root
/// (<c>PLATFORM_ROOT</c>) instead of the repository's <c>.platform/</c>, and every service a process of its own. The
/// services' HTTP endpoints are proxied on random ports, so they never collide with the fixed ports the AppHost tests
/// serve on at the same time; the local servers keep their fixed ports, which only the fault tests use (one
/// collection: one platform at a time). An alerting function on a local webhook listener receives every
/// <c>CreateAccessKey</c> event, so deliveries can be counted. How long each step of the start took goes to the test
/// run's diagnostic messages; a start that does not finish names every instance's state and the last lines of those that
/// are not up.
/// </summary>
public abstract class LocalPlatform(IMessageSink diagnostics) : IAsyncLifetime
{
    public const string AdminKey = "faults-test-admin-key";
    private const string PostgresPassword = "faultsTestPostgresPassword0123456789";

    // Seven processes and three servers start, migrate and catch up at once: minutes on a loaded 2-core machine.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(8);

    private static readonly string[] s_services =
    [
        PlatformResources.Provisioning, PlatformResources.Ingestion, PlatformResources.Detection, PlatformResources.Alerting,
    ];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "platform-faults-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly ConcurrentDictionary<string, ResourceEvent> _instances = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopWatching = new();
    private Task _watching = Task.CompletedTask;
    private DistributedApplication? _app;

    /// <summary>How many instances of ingestion and of detection run.</summary>
    protected abstract int Replicas { get; }

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The platform has not started.");

    /// <summary>The alerting function's endpoint: every delivery the platform made.</summary>
    public WebhookListener Deliveries { get; private set; } = null!;

    public KinesisClient Kinesis { get; } = new(
        new HttpClient(), new KinesisEndpoint(new Uri($"http://{LocalInfrastructure.Loopback}:{Ports.Kinesis}"), KinesisSource.EmulatorRegion),
        KinesisTestStream.Credentials, TimeProvider.System);

    public async Task InitializeAsync()
    {
        await PrepareRootAsync();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Platform_AppHost>(
        [
            $"--{InfrastructureModeSelection.Setting}=local",
            $"--PLATFORM_ROOT={_root}",
            $"--Platform:Auth:BootstrapAdminKey={AdminKey}",
            $"--{LocalInfrastructure.PostgresPasswordSetting}={PostgresPassword}",
        ]);
        // The resources' own output only from warnings up: ten processes at info drown a failure's story.
        builder.Services.AddLogging(logging => logging.AddFilter("Platform.AppHost.Resources", LogLevel.Warning));
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            var service = builder.CreateResourceBuilder(project).WithEndpoint("http", endpoint => endpoint.IsProxied = true);
            if (project.Name is PlatformResources.Ingestion or PlatformResources.Detection)
            {
                service.WithReplicas(Replicas);
            }
        }
        _app = await builder.BuildAsync();
        _watching = WatchInstancesAsync(_stopWatching.Token);

        var clock = Stopwatch.StartNew();
        using (var starting = new CancellationTokenSource(StartTimeout))
        {
            // The start returns once the servers the services wait for are healthy, and a server whose process ended
            // would hold it until the timeout: one that stays ended is started again, as a supervisor would.
            var start = _app.StartAsync(starting.Token);
            var servers = new EndedInstances(this);
            while (!start.IsCompleted)
            {
                await Task.WhenAny(start, Task.Delay(500, CancellationToken.None));
                await servers.StartAgainAsync(_instances.Values
                    .Where(i => i.Resource is ExecutableResource)
                    .Select(i => i.ResourceId).ToList());
            }
            try
            {
                await start;
            }
            catch (OperationCanceledException) when (starting.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"The AppHost has not started after {StartTimeout.TotalMinutes:0} minutes.{await DescribeInstancesAsync()}");
            }
        }
        Report($"AppHost started in {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (var service in s_services)
        {
            await WaitUntilHealthyAsync(service);
            Report($"{service} healthy {clock.Elapsed.TotalSeconds:0.0} s after the start");
        }

        Deliveries = await WebhookListener.StartAsync();
        using var admin = Client(PlatformResources.Provisioning);
        await admin.PutResourceAsync("functions", "fault-deliveries", new { endpoint = Deliveries.Url });
        await admin.PutResourceAsync("event-rules", "access-keys-created", """
            {"Name": "access-keys-created",
             "EventPattern": "{\"source\": [\"aws.iam\"], \"detail\": {\"eventName\": [\"CreateAccessKey\"]}}",
             "State": "ENABLED",
             "Targets": [{"Id": "fault-deliveries", "Arn": "arn:aws:lambda:us-east-1:123456789012:function:fault-deliveries"}]}
            """);

        // Until one event has gone the whole way (Kinesis, ingestion, the bus, alerting, the function), events could be
        // lost to start-up rather than to a fault.
        var warmUp = new CloudTrailFlow(this, "warm-up");
        await warmUp.PutOnceAsync();
        var delivered = await Eventually.ObserveAsync(() => Task.FromResult(warmUp.DeliveredIds().Count), n => n > 0, StartTimeout);
        Assert.True(delivered > 0, $"The warm-up event was not delivered within {StartTimeout.TotalMinutes:0} minutes.{await DescribeInstancesAsync()}");
        Report($"warm-up event delivered {clock.Elapsed.TotalSeconds:0.0} s after the start");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _stopWatching.CancelAsync();
            await _watching;
            await _app.DisposeAsync();
        }
        _stopWatching.Dispose();
        if (Deliveries is not null)
        {
            await Deliveries.DisposeAsync();
        }
        Directory.Delete(_root, recursive: true);
    }

    public HttpClient Client(string service)
    {
        var client = new HttpClient { BaseAddress = App.GetEndpoint(service, "http") };
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return client;
    }

    public NpgsqlConnection Database(string database) =>
        new(LocalInfrastructure.ServerConnectionString(database, PostgresPassword) + ";Timeout=5;Pooling=false");

    /// <summary>
    /// <c>kill -9</c> of the processes (and their children) of <paramref name="instances"/> of <paramref name="service"/>'s
    /// instances, all by default; returns the ids of the instances killed.
    /// </summary>
    public async Task<IReadOnlyList<string>> KillAsync(string service, int instances = int.MaxValue)
    {
        var killed = (await InstancesAsync(service)).OrderBy(i => i.ResourceId, StringComparer.Ordinal).Take(instances).ToList();
        foreach (var instance in killed)
        {
            var pid = Pid(instance) ?? throw new InvalidOperationException($"{instance.ResourceId} has no process.");
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true); // SIGKILL, on Linux
            await process.WaitForExitAsync();
        }
        // A start command sent before the orchestrator has seen the process end finds the instance running and does
        // nothing: the service would never come back.
        foreach (var instance in killed)
        {
            await WaitUntilStoppedAsync(instance.ResourceId);
        }
        return [.. killed.Select(i => i.ResourceId)];
    }

    /// <summary>The AppHost's start command on each instance, as a supervisor starts a crashed process again.</summary>
    public async Task StartAsync(IEnumerable<string> instances)
    {
        foreach (var instance in instances)
        {
            await CommandAsync(instance, KnownResourceCommands.StartCommand);
        }
    }

    /// <summary>
    /// Postgres restarted as an operator restarts it: a fast shutdown (SIGINT to the postmaster: sessions ended, a
    /// shutdown checkpoint written), then, once it has stopped, the AppHost's start command; returns once it is ready.
    /// </summary>
    public async Task RestartPostgresAsync()
    {
        var instance = (await InstancesAsync(PlatformResources.Postgres)).Single();
        var pidFile = Path.Combine(_root, ".platform", "postgres", "postmaster.pid");
        var postmaster = int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture);
        await StopThenStartAsync(instance, postmaster, "-INT");
    }

    /// <summary>
    /// RabbitMQ restarted as an operator restarts it: SIGTERM to <c>rabbitmq-server</c> (which stops the broker
    /// gracefully and waits for it), then, once it has stopped, the AppHost's start command; returns once it is ready.
    /// </summary>
    public async Task RestartRabbitMqAsync()
    {
        var instance = (await InstancesAsync(PlatformResources.RabbitMq)).Single();
        var server = Pid(instance) ?? throw new InvalidOperationException($"{instance.ResourceId} has no process.");
        await StopThenStartAsync(instance, server, "-TERM");
    }

    /// <summary>
    /// Stops a server by signalling its process, waits until it has ended and the orchestrator has seen it, then runs the
    /// AppHost's start command. (The AppHost's own restart command is not used: its orchestrator sometimes sends the stop
    /// signal late or not at all, or starts the server again before the old one has let go; see the README's "Faults".)
    /// </summary>
    private async Task StopThenStartAsync(ResourceEvent instance, int pid, string signal)
    {
        var resource = instance.Resource.Name;
        using var server = Process.GetProcessById(pid);
        await LocalServerCommands.RunAsync("kill", [signal, pid.ToString(CultureInfo.InvariantCulture)]);
        using (var stopping = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            await server.WaitForExitAsync(stopping.Token);
        }

        await WaitUntilStoppedAsync(instance.ResourceId);
        await Task.Delay(TimeSpan.FromSeconds(5)); // the services meet a server that is away
        await StartAsync([instance.ResourceId]);
        await WaitUntilHealthyAsync(resource, started: [instance.ResourceId]);
    }

    /// <summary>Waits until the orchestrator has seen the process of the instance <paramref name="resourceId"/> end.</summary>
    private async Task WaitUntilStoppedAsync(string resourceId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        Assert.True(App.ResourceNotifications.TryGetCurrentState(resourceId, out _), $"The orchestrator does not know {resourceId}.");
        while (App.ResourceNotifications.TryGetCurrentState(resourceId, out var current)
               && current.Snapshot.State?.Text is { } state
               && (state == KnownResourceStates.Running || state == KnownResourceStates.Starting))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{resourceId} still {state} a minute after its process ended.");
            await Task.Delay(250);
        }
    }

    private async Task CommandAsync(string resourceId, string command)
    {
        var result = await App.ResourceCommands.ExecuteCommandAsync(resourceId, command);
        Assert.True(result.Success, $"{command} of {resourceId}: {result.Message}");
    }

    /// <summary>
    /// Waits until <paramref name="resource"/> is back: a service answers its health endpoint through its proxy several
    /// times in a row (so every instance behind it does), a server is running and its readiness check passes. Polled:
    /// an instance started again is a new orchestrator object, and the old one's snapshot still says healthy.
    /// </summary>
    /// <param name="started">
    /// The instances a drill started: each is started again when its process has ended instead of coming up
    /// (<see cref="EndedInstances"/>). Their states are what a timeout reports.
    /// </param>
    public async Task WaitUntilHealthyAsync(string resource, IReadOnlyList<string>? started = null)
    {
        started ??= [];
        var deadline = DateTime.UtcNow + StartTimeout;
        var healthy = 0;
        var states = "none";
        var ended = new EndedInstances(this);
        var isService = App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resource) is ProjectResource;
        IReadOnlyList<string> watched = started.Count > 0 ? started : [resource];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (healthy < 4)
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"{resource} is not back after {StartTimeout.TotalMinutes:0} minutes (last state: {states}).{await DescribeInstancesAsync()}");
            }
            var snapshots = watched.ToDictionary(id => id, Snapshot);
            states = string.Join(", ", snapshots.Select(s => $"{s.Key} {s.Value?.State?.Text ?? "unknown"}/{s.Value?.HealthStatus?.ToString() ?? "no health"}"));
            var answers = isService
                ? await AnswersHealthAsync(http, resource)
                : snapshots.Values.All(s => s?.State?.Text == KnownResourceStates.Running && s.HealthStatus == HealthStatus.Healthy);
            await ended.StartAgainAsync(started);
            healthy = answers ? healthy + 1 : 0;
            await Task.Delay(500);
        }
    }

    private CustomResourceSnapshot? Snapshot(string resourceId) =>
        App.ResourceNotifications.TryGetCurrentState(resourceId, out var current) ? current.Snapshot : null;

    /// <summary>
    /// Starts again an instance whose process has stayed ended for 30 s (a node that finds its predecessor's name or port
    /// not yet let go exits at once, a process can die starting), at most twice: after 30 s it is not the snapshot of
    /// before a start command but a start that did not take.
    /// </summary>
    private sealed class EndedInstances(LocalPlatform platform)
    {
        private readonly Dictionary<string, DateTime> _endedSince = new(StringComparer.Ordinal);
        private int _startsLeft = 2;

        public async Task StartAgainAsync(IReadOnlyList<string> instances)
        {
            foreach (var id in instances)
            {
                var snapshot = platform.Snapshot(id);
                var state = snapshot?.State?.Text;
                if (state != KnownResourceStates.Exited && state != KnownResourceStates.FailedToStart && state != KnownResourceStates.Finished)
                {
                    _endedSince.Remove(id);
                }
                else if (!_endedSince.TryAdd(id, DateTime.UtcNow) && _startsLeft > 0 && DateTime.UtcNow - _endedSince[id] > TimeSpan.FromSeconds(30))
                {
                    _startsLeft--;
                    _endedSince.Remove(id);
                    platform.Report($"starting {id} again: {state} for 30 s (exit code {snapshot?.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"})");
                    await platform.StartAsync([id]);
                }
            }
        }
    }

    private async Task<bool> AnswersHealthAsync(HttpClient http, string service)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(App.GetEndpoint(service, "http"), Extensions.HealthEndpointPath));
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private void Report(string message) =>
        diagnostics.OnMessage(new Xunit.Sdk.DiagnosticMessage($"{GetType().Name}: {message}"));

    /// <summary>Keeps the latest snapshot of every instance the orchestrator reports, for <see cref="DescribeInstancesAsync"/>.</summary>
    private async Task WatchInstancesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in App.ResourceNotifications.WatchAsync(cancellationToken))
            {
                _instances[update.ResourceId] = update;
            }
        }
        catch (OperationCanceledException)
        {
            // The platform stopped.
        }
    }

    /// <summary>
    /// Each instance's state, health and exit code, and the last lines of the log of each that is not running and healthy:
    /// what a start that did not finish needs to say (the resources' own log reaches the test output only from warnings up).
    /// </summary>
    private async Task<string> DescribeInstancesAsync()
    {
        const int lines = 20;
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        var text = new StringBuilder();
        foreach (var instance in _instances.Values.OrderBy(i => i.ResourceId, StringComparer.Ordinal))
        {
            var snapshot = instance.Snapshot;
            text.Append(CultureInfo.InvariantCulture, $"\n{instance.ResourceId}: {snapshot.State?.Text ?? "no state"}, ")
                .Append(snapshot.HealthStatus?.ToString() ?? "no health")
                .Append(snapshot.ExitCode is { } code ? $", exit code {code}" : "");
            if (snapshot.State?.Text == KnownResourceStates.Running && snapshot.HealthStatus == HealthStatus.Healthy)
            {
                continue;
            }
            var tail = new Queue<string>();
            using var reading = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                await foreach (var batch in logs.WatchAsync(instance.ResourceId).WithCancellation(reading.Token))
                {
                    foreach (var line in batch)
                    {
                        tail.Enqueue(line.Content);
                        if (tail.Count > lines)
                        {
                            tail.Dequeue();
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The log so far has been read.
            }
            foreach (var line in tail)
            {
                text.Append("\n    ").Append(line);
            }
        }
        return text.ToString();
    }

    private static int? Pid(ResourceEvent instance) =>
        instance.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
            ? Convert.ToInt32(value, CultureInfo.InvariantCulture)
            : null;

    private async Task<IReadOnlyList<ResourceEvent>> InstancesAsync(string resource)
    {
        var expected = resource is PlatformResources.Ingestion or PlatformResources.Detection ? Replicas : 1;
        var instances = new Dictionary<string, ResourceEvent>();
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var update in App.ResourceNotifications.WatchAsync(watching.Token))
        {
            if (update.Resource.Name == resource)
            {
                instances[update.ResourceId] = update;
                if (instances.Count == expected)
                {
                    break;
                }
            }
        }
        return [.. instances.Values];
    }

    /// <summary>
    /// The scratch root as <c>./platform run</c> prepares <c>.platform/</c> (Postgres initialised with the password,
    /// RabbitMQ's folders owned by its user), with the repository's installed tools and the AppHost's kinesalite wrapper.
    /// </summary>
    private async Task PrepareRootAsync()
    {
        var state = Path.Combine(_root, ".platform");
        Directory.CreateDirectory(state);
        Directory.CreateSymbolicLink(Path.Combine(_root, ".tools"), Path.Combine(SharedData.RepositoryRoot, ".tools"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "apphost"), Path.Combine(SharedData.RepositoryRoot, "apphost"));
        var bin = LocalInfrastructure.PostgresBinDirectory() ?? throw new InvalidOperationException("No PostgreSQL under /usr/lib/postgresql.");
        await LocalServerCommands.InitDbLikePlatformRunAsync(bin, state, Path.Combine(state, "postgres"), PostgresPassword);
        var rabbitMq = Path.Combine(state, "rabbitmq");
        Directory.CreateDirectory(Path.Combine(rabbitMq, "mnesia"));
        Directory.CreateDirectory(Path.Combine(rabbitMq, "log"));
        await LocalServerCommands.RunAsync("chown", ["-R", "rabbitmq:rabbitmq", rabbitMq]);
    }
}

/// <summary>One instance of each service.</summary>
public sealed class SingleInstancePlatform(IMessageSink diagnostics) : LocalPlatform(diagnostics)
{
    protected override int Replicas => 1;
}

/// <summary>Two instances of ingestion and of detection, one of the others.</summary>
public sealed class TwoInstancePlatform(IMessageSink diagnostics) : LocalPlatform(diagnostics)
{
    protected override int Replicas => 2;
}

/// <summary>The faults share one platform; another starts only after it stopped (the local servers' ports are fixed).</summary>
[CollectionDefinition(Name)]
public sealed class FaultsCollection : ICollectionFixture<SingleInstancePlatform>
{
    public const string Name = "faults";
}
