namespace Platform.AppHost.Infrastructure;

/// <summary>
/// Servers that already exist, from configuration: <c>ConnectionStrings:postgres</c> (an RDS server, no Database:
/// each service gets its own), <c>ConnectionStrings:rabbitmq</c> (an Amazon MQ amqps:// URI) and real Kinesis
/// through the standard AWS credential chain (or a Kinesis-compatible service at <c>Platform:Kinesis:Endpoint</c>).
/// </summary>
public sealed class ExternalInfrastructure(
    IResourceBuilder<IResourceWithConnectionString> postgres, IResourceBuilder<IResourceWithConnectionString> rabbitMq, KinesisSource kinesis)
    : PlatformInfrastructure(kinesis)
{
    public const string StreamNameSetting = "Platform:Kinesis:StreamName";
    public const string RegionSetting = "Platform:Kinesis:Region";
    public const string EndpointSetting = "Platform:Kinesis:Endpoint";

    public static ExternalInfrastructure Add(IDistributedApplicationBuilder builder)
    {
        var postgres = builder.AddConnectionString(PlatformResources.Postgres);
        var rabbitMq = builder.AddConnectionString(PlatformResources.RabbitMq);

        var streamName = builder.Configuration[StreamNameSetting] is { Length: > 0 } configured ? configured : KinesisStreams.SecurityLogs;
        var region = builder.Configuration[RegionSetting] is { Length: > 0 } configuredRegion
            ? configuredRegion
            : builder.Configuration["AWS_REGION"] ?? builder.Configuration["AWS_DEFAULT_REGION"];
        var endpoint = builder.Configuration[EndpointSetting] is { Length: > 0 } configuredEndpoint
            ? Uri.TryCreate(configuredEndpoint, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"
                ? parsed
                : throw new InvalidOperationException($"{EndpointSetting} is '{configuredEndpoint}': give an http:// or https:// address.")
            : null;
        return new ExternalInfrastructure(postgres, rabbitMq, KinesisSource.Aws(streamName, region, endpoint));
    }

    public override IResourceBuilder<ProjectResource> Connect(IResourceBuilder<ProjectResource> service, string database) =>
        service
            .WithEnvironment($"ConnectionStrings__{database}", ReferenceExpression.Create($"{postgres.Resource};Database={database}"))
            .WithReference(rabbitMq);
}
