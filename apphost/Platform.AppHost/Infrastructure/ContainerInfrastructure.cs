using Ports = Platform.ServiceDefaults.PlatformResources.LocalPorts;

namespace Platform.AppHost.Infrastructure;

/// <summary>Postgres, RabbitMQ (with its management UI) and kinesalite as containers, their data in named volumes.</summary>
public sealed class ContainerInfrastructure(
    IResourceBuilder<PostgresServerResource> postgres, IResourceBuilder<RabbitMQServerResource> rabbitMq, KinesisSource kinesis)
    : PlatformInfrastructure(kinesis)
{
    private const int KinesaliteContainerPort = 4567;

    public static ContainerInfrastructure Add(IDistributedApplicationBuilder builder)
    {
        var postgres = builder.AddPostgres(PlatformResources.Postgres, port: Ports.Postgres)
            .WithDataVolume("platform-postgres");
        var rabbitMq = builder.AddRabbitMQ(PlatformResources.RabbitMq, port: Ports.RabbitMq)
            .WithManagementPlugin()
            .WithDataVolume("platform-rabbitmq");

        var endpoint = new Uri($"http://127.0.0.1:{Ports.Kinesis}");
        var kinesis = builder.AddContainer(PlatformResources.Kinesis, "node", "22-bookworm-slim")
            .WithEntrypoint("npx")
            .WithArgs("--yes", $"kinesalite@{KinesisStreams.KinesaliteVersion}",
                "--port", KinesaliteContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--path", "/data")
            .WithVolume("platform-kinesis", "/data")
            .WithHttpEndpoint(port: Ports.Kinesis, targetPort: KinesaliteContainerPort, name: "http")
            .WithSecurityLogsStream(endpoint);

        return new ContainerInfrastructure(postgres, rabbitMq, KinesisSource.Emulated(endpoint, kinesis));
    }

    public override IResourceBuilder<ProjectResource> Connect(IResourceBuilder<ProjectResource> service, string database)
    {
        var db = postgres.AddDatabase(database);
        return service
            .WithReference(db).WaitFor(db)
            .WithReference(rabbitMq).WaitFor(rabbitMq);
    }
}
