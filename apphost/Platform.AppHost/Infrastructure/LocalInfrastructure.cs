using System.Globalization;
using Ports = Platform.ServiceDefaults.PlatformResources.LocalPorts;

namespace Platform.AppHost.Infrastructure;

/// <summary>
/// Postgres, RabbitMQ and kinesalite as processes from the machine's own binaries, their data under
/// <c>.platform/</c> so it survives restarts. <c>./platform run</c> prepares that folder (initdb, owners, the
/// Postgres password). Nothing listens beyond 127.0.0.1 and Postgres wants its password even from local users:
/// any process on the machine, or anyone who can reach it, could otherwise read and rewrite every finding.
/// </summary>
public sealed class LocalInfrastructure(
    IResourceBuilder<ExecutableResource> postgres, IResourceBuilder<ExecutableResource> rabbitMq, string postgresPassword, KinesisSource kinesis)
    : PlatformInfrastructure(kinesis)
{
    public const string RabbitMqNodeName = "platform@localhost";
    public const int RabbitMqDistributionPort = 55682;

    /// <summary>Our own epmd port: an epmd already running on the default port may listen on every interface.</summary>
    public const int RabbitMqEpmdPort = 55369;

    /// <summary>The password of the local server's <c>postgres</c> user (<c>./platform run</c> keeps it in <c>.platform/postgres-password</c>).</summary>
    public const string PostgresPasswordSetting = "Platform:Local:PostgresPassword";

    public const string Loopback = "127.0.0.1";

    private const string RabbitMqServer = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    public static string ServerConnectionString(string database, string password) =>
        $"Host={Loopback};Port={Ports.Postgres};Username=postgres;Password={password};Database={database}";

    public static string BrokerConnectionString => $"amqp://guest:guest@127.0.0.1:{Ports.RabbitMq}/";

    public static LocalInfrastructure Add(IDistributedApplicationBuilder builder)
    {
        var root = FindRepositoryRoot(builder);
        var state = Path.Combine(root, ".platform");
        var postgresData = Path.Combine(state, "postgres");
        var postgresBin = PostgresBinDirectory();
        var kinesalite = Path.Combine(root, ".tools", "node_modules", "kinesalite");
        var kinesaliteOnLoopback = Path.Combine(root, "apphost", "Platform.AppHost", "Infrastructure", "kinesalite-loopback.js");
        var postgresStopFast = Path.Combine(root, "apphost", "Platform.AppHost", "Infrastructure", "postgres-stop-fast.sh");
        var kinesisData = Path.Combine(state, "kinesis");
        var postgresPassword = builder.Configuration[PostgresPasswordSetting] is { Length: > 0 } configured
            ? configured
            : throw new InvalidOperationException(
                $"{PostgresPasswordSetting} is not set: run ./platform run, which creates the password in .platform/postgres-password.");

        builder.Eventing.Subscribe<BeforeStartEvent>((_, _) =>
        {
            EnsurePrepared(postgresData, postgresBin, kinesalite);
            Directory.CreateDirectory(kinesisData);
            return Task.CompletedTask;
        });

        // postgres refuses to run as root, and the data directory belongs to the postgres user. setpriv execs in
        // place (runuser would stay as a parent and SIGKILL postgres 2 s into its shutdown). The stop signal (SIGTERM)
        // would be Postgres's smart shutdown, which waits for every client to disconnect, and the services' pools never
        // do: the wrapper makes it a fast shutdown (SIGINT) and returns at once, so the stop and restart commands work.
        var postgres = builder.AddServerProcess(PlatformResources.Postgres, "postgres", root,
                "/bin/sh", postgresStopFast, postgresData, Path.Combine(postgresBin ?? "/usr/bin", "postgres"),
                "-p", Arg(Ports.Postgres), "-k", "/tmp", "-c", $"listen_addresses={Loopback}")
            .WithEndpoint(port: Ports.Postgres, targetPort: Ports.Postgres, scheme: "tcp", name: "tcp", isProxied: false)
            .WithReadinessCheck(builder, "postgres-ready", services => services.AddNpgSql(
                ServerConnectionString("postgres", postgresPassword), name: "postgres-ready", timeout: TimeSpan.FromSeconds(2)));

        // Not Debian's /usr/sbin wrapper: it runs the broker under su, which kills it 2 s into its shutdown.
        var rabbitMq = builder.AddServerProcess(PlatformResources.RabbitMq, "rabbitmq", Path.Combine(state, "rabbitmq"),
                RabbitMqServer)
            .WithEnvironment("RABBITMQ_NODENAME", RabbitMqNodeName)
            .WithEnvironment("RABBITMQ_NODE_IP_ADDRESS", Loopback)
            .WithEnvironment("RABBITMQ_NODE_PORT", Arg(Ports.RabbitMq))
            // Erlang distribution (how rabbitmqctl and cluster peers reach the node) and its port mapper, on loopback too.
            .WithEnvironment("RABBITMQ_DIST_PORT", Arg(RabbitMqDistributionPort))
            .WithEnvironment("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}")
            .WithEnvironment("ERL_EPMD_ADDRESS", Loopback)
            .WithEnvironment("ERL_EPMD_PORT", Arg(RabbitMqEpmdPort))
            .WithEnvironment("RABBITMQ_MNESIA_BASE", Path.Combine(state, "rabbitmq", "mnesia"))
            .WithEnvironment("RABBITMQ_LOG_BASE", Path.Combine(state, "rabbitmq", "log"))
            .WithEnvironment("RABBITMQ_LOGS", "-") // to stdout, so the dashboard shows the broker's log
            .WithEndpoint(port: Ports.RabbitMq, targetPort: Ports.RabbitMq, scheme: "amqp", name: "amqp", isProxied: false)
            .WithReadinessCheck(builder, "rabbitmq-ready", services => services.AddCheck(
                "rabbitmq-ready", new TcpPortHealthCheck(Loopback, Ports.RabbitMq)));
        if (Environment.UserName == "root")
        {
            rabbitMq.WithEnvironment("HOME", "/var/lib/rabbitmq"); // the rabbitmq user's Erlang cookie
        }

        // kinesalite's cli.js listens on every interface; the wrapper starts the same server on loopback only.
        var endpoint = new Uri($"http://{Loopback}:{Ports.Kinesis}");
        var kinesis = builder.AddExecutable(PlatformResources.Kinesis, "node", root,
                kinesaliteOnLoopback, kinesalite, "--port", Arg(Ports.Kinesis), "--path", kinesisData)
            .WithHttpEndpoint(port: Ports.Kinesis, targetPort: Ports.Kinesis, name: "http", isProxied: false)
            .WithSecurityLogsStream(endpoint);

        return new LocalInfrastructure(postgres, rabbitMq, postgresPassword, KinesisSource.Emulated(endpoint, kinesis));
    }

    public override IResourceBuilder<ProjectResource> Connect(IResourceBuilder<ProjectResource> service, string database) =>
        service
            .WithEnvironment($"ConnectionStrings__{database}", ServerConnectionString(database, postgresPassword))
            .WithEnvironment($"ConnectionStrings__{PlatformResources.RabbitMq}", BrokerConnectionString)
            .WaitFor(postgres)
            .WaitFor(rabbitMq);

    private static string Arg(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The newest installed PostgreSQL's binaries (Debian keeps each major version apart).</summary>
    public static string? PostgresBinDirectory()
    {
        const string installs = "/usr/lib/postgresql";
        return Directory.Exists(installs)
            ? Directory.GetDirectories(installs)
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "postgres")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
    }

    private static void EnsurePrepared(string postgresData, string? postgresBin, string kinesalite)
    {
        const string prepare = "run ./platform run, which installs and prepares it";
        if (postgresBin is null)
        {
            throw new InvalidOperationException($"No PostgreSQL server under /usr/lib/postgresql: {prepare}.");
        }
        if (!File.Exists(Path.Combine(postgresData, "PG_VERSION")))
        {
            throw new InvalidOperationException($"{postgresData} is not a PostgreSQL data directory: {prepare}.");
        }
        if (!File.Exists(RabbitMqServer))
        {
            throw new InvalidOperationException($"rabbitmq-server is not installed: {prepare}.");
        }
        if (!File.Exists(Path.Combine(kinesalite, "package.json")))
        {
            throw new InvalidOperationException($"kinesalite is not installed in {kinesalite}: {prepare}.");
        }
    }
}

internal static class LocalProcessExtensions
{
    /// <summary>
    /// A server process that must run as its own system user (the owner of its data). As root, setpriv switches
    /// user and execs in place, so the orchestrator's stop signal reaches the server itself.
    /// </summary>
    public static IResourceBuilder<ExecutableResource> AddServerProcess(
        this IDistributedApplicationBuilder builder, string name, string user, string workingDirectory, string command, params string[] args) =>
        Environment.UserName == "root"
            ? builder.AddExecutable(name, "setpriv", workingDirectory,
                [$"--reuid={user}", $"--regid={user}", "--init-groups", "--", command, .. args])
            : builder.AddExecutable(name, command, workingDirectory, args);

    /// <summary>Registers a health check in the AppHost and ties it to the resource, so <c>WaitFor</c> waits until it passes.</summary>
    public static IResourceBuilder<T> WithReadinessCheck<T>(
        this IResourceBuilder<T> resource, IDistributedApplicationBuilder builder, string key, Action<IHealthChecksBuilder> register)
        where T : IResource
    {
        register(builder.Services.AddHealthChecks());
        return resource.WithHealthCheck(key);
    }
}
