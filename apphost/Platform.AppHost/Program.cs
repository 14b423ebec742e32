using Platform.AppHost.Archive;
using Platform.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

var adminKey = builder.AddParameterFromConfiguration("admin-key", "Platform:Auth:BootstrapAdminKey", secret: true);
var infrastructure = PlatformInfrastructure.AddTo(builder);

AddService<Projects.Platform_Ingestion>(PlatformResources.Ingestion, PlatformResources.IngestionDb)
    .WithKinesisSource(infrastructure.Kinesis);
AddService<Projects.Platform_Detection>(PlatformResources.Detection, PlatformResources.DetectionDb);
var compliance = AddService<Projects.Platform_Compliance>(PlatformResources.Compliance, PlatformResources.ComplianceDb);
var alerting = AddService<Projects.Platform_Alerting>(PlatformResources.Alerting, PlatformResources.AlertingDb);
var provisioning = AddService<Projects.Platform_Provisioning>(PlatformResources.Provisioning, PlatformResources.ProvisioningDb);
AddService<Projects.Platform_Archiver>(PlatformResources.Archiver, PlatformResources.ArchiverDb)
    .WithArchiveStorage(builder, infrastructure);
// Webhooks and functions on loopback or private addresses: allowed where the servers are this machine's own (local
// listeners), refused against external servers unless Platform:AllowPrivateTargets says otherwise.
if (builder.Configuration.GetValue<bool?>("Platform:AllowPrivateTargets") ?? infrastructure is not ExternalInfrastructure)
{
    alerting.WithEnvironment("Platform__Alerting__Delivery__AllowPrivateTargets", "true");
    provisioning.WithEnvironment("Platform__Alerting__Delivery__AllowPrivateTargets", "true");
    compliance.WithEnvironment("Platform__Compliance__Functions__AllowPrivateTargets", "true");
}

// The console: web pages for people over the services' REST APIs, told where each service listens; no database, no bus.
var console = builder.AddProject<Projects.Platform_Console>(PlatformResources.Console)
    .WithEndpoint("http", endpoint => endpoint.IsProxied = false)
    .WithHttpHealthCheck(Extensions.HealthEndpointPath)
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", Microsoft.Extensions.Hosting.Environments.Production)
    .WithEnvironment("DOTNET_ENVIRONMENT", Microsoft.Extensions.Hosting.Environments.Production);
foreach (var service in new[] { PlatformResources.Ingestion, PlatformResources.Detection, PlatformResources.Compliance, PlatformResources.Alerting, PlatformResources.Provisioning })
{
    var project = builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == service));
    console.WithEnvironment($"Platform__Console__Services__{service}", project.GetEndpoint("http")); // bound case-insensitively
}

builder.Build().Run();

IResourceBuilder<ProjectResource> AddService<TProject>(string name, string database)
    where TProject : IProjectMetadata, new()
{
    // The launch profile holds the fixed local port; serving it directly (no proxy) keeps that port
    // the one users, tests and docker-compose share.
    var service = builder.AddProject<TProject>(name)
        .WithEndpoint("http", endpoint => endpoint.IsProxied = false)
        .WithHttpHealthCheck(Extensions.HealthEndpointPath)
        // Not the launch profile's Development: no developer exception pages or development-only settings.
        .WithEnvironment("ASPNETCORE_ENVIRONMENT", Microsoft.Extensions.Hosting.Environments.Production)
        .WithEnvironment("DOTNET_ENVIRONMENT", Microsoft.Extensions.Hosting.Environments.Production)
        .WithEnvironment("Platform__Auth__BootstrapAdminKey", adminKey);
    return infrastructure.Connect(service, database);
}
