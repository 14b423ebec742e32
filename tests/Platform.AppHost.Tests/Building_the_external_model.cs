namespace Platform.AppHost.Tests;

public sealed class Building_the_external_model : IAsyncLifetime
{
    private const string Rds = "Host=platform.abc123.eu-west-1.rds.amazonaws.com;Username=platform;Password=secret;SSL Mode=Require";
    private const string AmazonMq = "amqps://platform:secret@b-1234.mq.eu-west-1.amazonaws.com:5671";

    private IDistributedApplicationTestingBuilder _builder = null!;

    public async Task InitializeAsync() => _builder = await AppHostModel.BuildAsync(
        "Platform:Infrastructure=external",
        $"ConnectionStrings:postgres={Rds}",
        $"ConnectionStrings:rabbitmq={AmazonMq}",
        "Platform:Kinesis:StreamName=org-security-logs",
        "Platform:Kinesis:Region=eu-west-1");

    public async Task DisposeAsync() => await _builder.DisposeAsync();

    [Fact]
    public async Task Gives_each_service_its_own_database_on_the_configured_server()
    {
        var environment = await _builder.Resource<ProjectResource>(PlatformResources.Compliance).EnvironmentOfAsync();

        Assert.Equal($"{Rds};Database=compliancedb", environment["ConnectionStrings__compliancedb"]);
        Assert.Equal(AmazonMq, environment["ConnectionStrings__rabbitmq"]);
    }

    [Fact]
    public async Task Keeps_delivery_off_internal_addresses()
    {
        var environment = await _builder.Resource<ProjectResource>(PlatformResources.Alerting).EnvironmentOfAsync();

        Assert.False(environment.ContainsKey("Platform__Alerting__Delivery__AllowPrivateTargets"));
    }

    [Fact]
    public async Task Reads_the_configured_stream_from_real_kinesis()
    {
        var environment = await _builder.Resource<ProjectResource>(PlatformResources.Ingestion).EnvironmentOfAsync();

        Assert.Equal("org-security-logs", environment["Platform__Ingestion__Sources__security-logs__StreamName"]);
        Assert.Equal("eu-west-1", environment["Platform__Ingestion__Sources__security-logs__Region"]);
        Assert.DoesNotContain("Platform__Ingestion__Sources__security-logs__Endpoint", environment.Keys);
    }

    [Fact]
    public async Task Reads_a_kinesis_compatible_service_and_allows_private_targets_when_told()
    {
        await using var builder = await AppHostModel.BuildAsync(
            "Platform:Infrastructure=external",
            $"ConnectionStrings:postgres={Rds}",
            $"ConnectionStrings:rabbitmq={AmazonMq}",
            "Platform:Kinesis:Endpoint=http://kinesis.internal:4566",
            "Platform:AllowPrivateTargets=true");

        var ingestion = await builder.Resource<ProjectResource>(PlatformResources.Ingestion).EnvironmentOfAsync();
        var alerting = await builder.Resource<ProjectResource>(PlatformResources.Alerting).EnvironmentOfAsync();

        Assert.Equal("http://kinesis.internal:4566", ingestion["Platform__Ingestion__Sources__security-logs__Endpoint"]);
        Assert.Equal("true", alerting["Platform__Alerting__Delivery__AllowPrivateTargets"]);
    }

    [Fact]
    public async Task Refuses_a_kinesis_endpoint_that_is_not_an_http_address()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => AppHostModel.BuildAsync(
            "Platform:Infrastructure=external",
            $"ConnectionStrings:postgres={Rds}",
            $"ConnectionStrings:rabbitmq={AmazonMq}",
            "Platform:Kinesis:Endpoint=kinesis.internal:4566"));

        Assert.Contains("Platform:Kinesis:Endpoint", refused.Message);
    }

    [Fact]
    public void Starts_no_servers_of_its_own()
    {
        Assert.Empty(_builder.Resources.OfType<ContainerResource>());
        Assert.DoesNotContain(_builder.Resources, resource => resource.Name == PlatformResources.Kinesis);
        Assert.IsNotType<ExecutableResource>(_builder.Resource<IResourceWithConnectionString>(PlatformResources.Postgres), exactMatch: false);
        Assert.IsNotType<ExecutableResource>(_builder.Resource<IResourceWithConnectionString>(PlatformResources.RabbitMq), exactMatch: false);
    }
}
