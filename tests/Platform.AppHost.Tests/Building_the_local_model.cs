using Ports = Platform.ServiceDefaults.PlatformResources.LocalPorts;

namespace Platform.AppHost.Tests;

public sealed class Building_the_local_model : IAsyncLifetime
{
    private IDistributedApplicationTestingBuilder _builder = null!;

    public static TheoryData<string, string, int> Services => new()
    {
        { PlatformResources.Ingestion, PlatformResources.IngestionDb, Ports.Ingestion },
        { PlatformResources.Detection, PlatformResources.DetectionDb, Ports.Detection },
        { PlatformResources.Compliance, PlatformResources.ComplianceDb, Ports.Compliance },
        { PlatformResources.Alerting, PlatformResources.AlertingDb, Ports.Alerting },
        { PlatformResources.Provisioning, PlatformResources.ProvisioningDb, Ports.Provisioning },
        { PlatformResources.Archiver, PlatformResources.ArchiverDb, Ports.Archiver },
    };

    public async Task InitializeAsync() => _builder = await AppHostModel.BuildAsync("Platform:Infrastructure=local");

    public async Task DisposeAsync() => await _builder.DisposeAsync();

    [Theory]
    [MemberData(nameof(Services))]
    public void Serves_each_service_on_its_fixed_port_without_a_proxy(string service, string database, int port)
    {
        _ = database;
        var http = Assert.Single(_builder.Resource<ProjectResource>(service).Annotations.OfType<EndpointAnnotation>(), e => e.Name == "http");
        Assert.Equal(port, http.Port);
        Assert.False(http.IsProxied);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Gives_each_service_its_own_database_the_broker_and_the_admin_key(string service, string database, int port)
    {
        _ = port;
        var environment = await _builder.Resource<ProjectResource>(service).EnvironmentOfAsync();

        Assert.Equal($"Host=127.0.0.1;Port=55432;Username=postgres;Password={AppHostModel.PostgresPassword};Database={database}",
            environment[$"ConnectionStrings__{database}"]);
        Assert.Equal("amqp://guest:guest@127.0.0.1:55672/", environment["ConnectionStrings__rabbitmq"]);
        Assert.Equal(AppHostModel.AdminKey, environment["Platform__Auth__BootstrapAdminKey"]);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Runs_each_service_in_the_production_environment(string service, string database, int port)
    {
        _ = (database, port);
        var environment = await _builder.Resource<ProjectResource>(service).EnvironmentOfAsync();

        Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("Production", environment["DOTNET_ENVIRONMENT"]);
    }

    /// <remarks>
    /// Where the console finds each service is an endpoint reference, resolved only once the services run: the console's
    /// browser tests (tests/Platform.Console.Tests) start the AppHost with every service on another port and prove it.
    /// </remarks>
    [Fact]
    public void Serves_the_console_on_its_fixed_port_without_a_database()
    {
        var console = _builder.Resource<ProjectResource>(PlatformResources.Console);
        var http = Assert.Single(console.Annotations.OfType<EndpointAnnotation>(), e => e.Name == "http");

        Assert.Equal(Ports.Console, http.Port);
        Assert.False(http.IsProxied);
        Assert.DoesNotContain(console.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Resource.Name.EndsWith("db", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(PlatformResources.Alerting)]
    [InlineData(PlatformResources.Provisioning)]
    public async Task Lets_delivery_reach_local_listeners(string service)
    {
        var environment = await _builder.Resource<ProjectResource>(service).EnvironmentOfAsync();

        Assert.Equal("true", environment["Platform__Alerting__Delivery__AllowPrivateTargets"]);
    }

    [Fact]
    public async Task Binds_postgres_rabbitmq_its_erlang_distribution_and_kinesalite_to_loopback_only()
    {
        var postgresArgs = await _builder.Resource<ExecutableResource>(PlatformResources.Postgres).ArgumentsOfAsync();
        var rabbitMq = await _builder.Resource<ExecutableResource>(PlatformResources.RabbitMq).EnvironmentOfAsync();
        var kinesis = _builder.Resource<ExecutableResource>(PlatformResources.Kinesis);
        var kinesisArgs = await kinesis.ArgumentsOfAsync();

        Assert.Equal("listen_addresses=127.0.0.1", postgresArgs[postgresArgs.ToList().IndexOf("-c") + 1]);
        Assert.Equal("127.0.0.1", rabbitMq["RABBITMQ_NODE_IP_ADDRESS"]);
        Assert.Equal("-kernel inet_dist_use_interface {127,0,0,1}", rabbitMq["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"]);
        Assert.Equal("127.0.0.1", rabbitMq["ERL_EPMD_ADDRESS"]);
        Assert.Equal("55369", rabbitMq["ERL_EPMD_PORT"]);
        Assert.Equal("node", kinesis.Command);
        Assert.EndsWith("/kinesalite-loopback.js", kinesisArgs[0], StringComparison.Ordinal);
        Assert.DoesNotContain(kinesisArgs, argument => argument.EndsWith("cli.js", StringComparison.Ordinal));
    }

    [Fact]
    public void Runs_postgres_rabbitmq_and_kinesalite_from_the_machines_own_binaries()
    {
        var postgres = _builder.Resource<ExecutableResource>(PlatformResources.Postgres);
        var rabbitMq = _builder.Resource<ExecutableResource>(PlatformResources.RabbitMq);
        var kinesis = _builder.Resource<ExecutableResource>(PlatformResources.Kinesis);

        Assert.Equal(Ports.Postgres, Assert.Single(postgres.Annotations.OfType<EndpointAnnotation>()).Port);
        Assert.Equal(Ports.RabbitMq, Assert.Single(rabbitMq.Annotations.OfType<EndpointAnnotation>()).Port);
        Assert.Equal(Ports.Kinesis, Assert.Single(kinesis.Annotations.OfType<EndpointAnnotation>()).Port);
        Assert.Equal("node", kinesis.Command);
    }

    [Fact]
    public async Task Keeps_the_servers_data_under_the_platform_folder()
    {
        var postgres = _builder.Resource<ExecutableResource>(PlatformResources.Postgres);
        var postgresArgs = await postgres.ArgumentsOfAsync();
        var rabbitMq = await _builder.Resource<ExecutableResource>(PlatformResources.RabbitMq).EnvironmentOfAsync();
        var kinesisArgs = await _builder.Resource<ExecutableResource>(PlatformResources.Kinesis).ArgumentsOfAsync();

        var state = Path.Combine(SharedData.RepositoryRoot, ".platform");
        Assert.Contains(postgresArgs.Prepend(postgres.Command), argument => argument.EndsWith("/bin/postgres", StringComparison.Ordinal));
        // The wrapper that makes the stop a fast shutdown takes the data directory first.
        Assert.Equal(Path.Combine(state, "postgres"),
            postgresArgs[postgresArgs.ToList().FindIndex(a => a.EndsWith("postgres-stop-fast.sh", StringComparison.Ordinal)) + 1]);
        Assert.Equal(Path.Combine(state, "rabbitmq", "mnesia"), rabbitMq["RABBITMQ_MNESIA_BASE"]);
        Assert.Equal("55672", rabbitMq["RABBITMQ_NODE_PORT"]);
        Assert.Equal(Path.Combine(state, "kinesis"), kinesisArgs[kinesisArgs.ToList().IndexOf("--path") + 1]);
    }

    [Fact]
    public async Task Registers_the_emulated_security_logs_stream_as_an_ingestion_source()
    {
        var environment = await _builder.Resource<ProjectResource>(PlatformResources.Ingestion).EnvironmentOfAsync();

        Assert.Equal("http://127.0.0.1:54567", environment["Platform__Ingestion__Sources__security-logs__Endpoint"]);
        Assert.Equal("security-logs", environment["Platform__Ingestion__Sources__security-logs__StreamName"]);
        Assert.Equal("TRIM_HORIZON", environment["Platform__Ingestion__Sources__security-logs__StartingPosition"]);
        Assert.Equal("us-east-1", environment["AWS_REGION"]);
    }

    [Fact]
    public async Task Runs_the_archives_s3rver_on_loopback_with_its_bucket_and_points_the_archiver_at_it()
    {
        var s3 = _builder.Resource<ExecutableResource>(Archive.ArchiveStorage.ResourceName);
        var args = (await s3.ArgumentsOfAsync()).ToList();
        var archiver = _builder.Resource<ProjectResource>(PlatformResources.Archiver);
        var environment = await archiver.EnvironmentOfAsync();

        Assert.Equal("node", s3.Command);
        Assert.EndsWith("/.tools/node_modules/s3rver/bin/s3rver.js", args[0], StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", args[args.IndexOf("--address") + 1]);
        Assert.Equal("54569", args[args.IndexOf("--port") + 1]);
        Assert.Equal("platform-archive", args[args.IndexOf("--configure-bucket") + 1]);
        Assert.Equal(Path.Combine(SharedData.RepositoryRoot, ".platform", "archive-s3"), args[args.IndexOf("--directory") + 1]);
        Assert.Equal("http://127.0.0.1:54569", environment["Platform__Archiver__ServiceUrl"]);
        Assert.Equal("platform-archive", environment["Platform__Archiver__Bucket"]);
        Assert.Contains(Archive.ArchiveStorage.ResourceName, archiver.Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource.Name));
    }

    [Fact]
    public void Makes_every_service_wait_for_its_infrastructure()
    {
        var ingestionWaits = _builder.Resource<ProjectResource>(PlatformResources.Ingestion).Annotations.OfType<WaitAnnotation>()
            .Select(wait => wait.Resource.Name).Order().ToArray();
        var detectionWaits = _builder.Resource<ProjectResource>(PlatformResources.Detection).Annotations.OfType<WaitAnnotation>()
            .Select(wait => wait.Resource.Name).Order().ToArray();

        Assert.Equal([PlatformResources.Kinesis, PlatformResources.Postgres, PlatformResources.RabbitMq], ingestionWaits);
        Assert.Equal([PlatformResources.Postgres, PlatformResources.RabbitMq], detectionWaits);
    }
}
