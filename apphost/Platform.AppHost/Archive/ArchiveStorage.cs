using Platform.AppHost.Infrastructure;
using Ports = Platform.ServiceDefaults.PlatformResources.LocalPorts;

namespace Platform.AppHost.Archive;

/// <summary>
/// The archive's S3: locally an s3rver (npm, installed into <c>.tools/</c> by <c>./platform run</c> like kinesalite) at
/// http://127.0.0.1:54569 with the bucket <c>platform-archive</c> created at start, its objects under
/// <c>.platform/archive-s3</c>; as a container the same server from npm; with external infrastructure, real S3 as the
/// AppHost's <c>Platform:Archiver:*</c> settings and the standard AWS credential chain say.
/// </summary>
public static class ArchiveStorage
{
    public const string ResourceName = "archive-s3";
    public const string Bucket = "platform-archive";
    public const string S3rverVersion = "3.7.1";

    /// <summary>s3rver's fixed account: it checks signatures against it.</summary>
    public const string S3rverKey = "S3RVER";

    private const string Setting = "Platform__Archiver__";

    /// <summary>
    /// The archive's S3 for the archiver, which writes it, and for ingestion, which queries it (SQL's archive tier):
    /// both get the same <c>Platform:Archiver:*</c> settings.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithArchiveStorage(
        this IResourceBuilder<ProjectResource> archiver, IDistributedApplicationBuilder builder, PlatformInfrastructure infrastructure)
    {
        var ingestion = builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == PlatformResources.Ingestion));
        if (infrastructure is ExternalInfrastructure)
        {
            ingestion.WithEnvironment(External);
            return archiver.WithEnvironment(External);
        }

        var endpoint = $"http://{LocalInfrastructure.Loopback}:{Ports.ArchiveS3}";
        IResourceBuilder<IResource> server = infrastructure is LocalInfrastructure
            ? AddLocal(builder)
            : builder.AddContainer(ResourceName, "node", "22-bookworm-slim")
                .WithEntrypoint("npx")
                .WithArgs("--yes", $"s3rver@{S3rverVersion}", "--directory", "/data", "--address", "0.0.0.0", "--port", "4568",
                    "--configure-bucket", Bucket, "--silent")
                .WithVolume("platform-archive-s3", "/data")
                .WithHttpEndpoint(port: Ports.ArchiveS3, targetPort: 4568, name: "http");
        builder.Services.AddHealthChecks().AddCheck($"{ResourceName}-ready", new TcpPortHealthCheck(LocalInfrastructure.Loopback, Ports.ArchiveS3));
        server.WithHealthCheck($"{ResourceName}-ready");

        // Ingestion starts without it: only archive-tier queries read it.
        Local(ingestion);
        return Local(archiver).WaitFor(server);

        IResourceBuilder<ProjectResource> Local(IResourceBuilder<ProjectResource> service) => service
            .WithEnvironment(Setting + "ServiceUrl", endpoint)
            .WithEnvironment(Setting + "Bucket", Bucket)
            .WithEnvironment(Setting + "Region", KinesisSource.EmulatorRegion)
            .WithEnvironment(Setting + "AccessKeyId", S3rverKey)
            .WithEnvironment(Setting + "SecretAccessKey", S3rverKey);

        void External(EnvironmentCallbackContext context)
        {
            foreach (var setting in builder.Configuration.GetSection("Platform:Archiver").AsEnumerable(makePathsRelative: true))
            {
                if (setting.Value is { Length: > 0 } value)
                {
                    context.EnvironmentVariables[Setting + setting.Key.Replace(":", "__", StringComparison.Ordinal)] = value;
                }
            }
            foreach (var name in KinesisSource.AwsEnvironment)
            {
                if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
                {
                    context.EnvironmentVariables[name] = value;
                }
            }
        }
    }

    private static IResourceBuilder<IResource> AddLocal(IDistributedApplicationBuilder builder)
    {
        var root = PlatformInfrastructure.RepositoryRoot(builder);
        var s3rver = Path.Combine(root, ".tools", "node_modules", "s3rver", "bin", "s3rver.js");
        var data = Path.Combine(root, ".platform", "archive-s3");
        builder.Eventing.Subscribe<BeforeStartEvent>((_, _) =>
        {
            if (!File.Exists(s3rver))
            {
                throw new InvalidOperationException($"s3rver is not installed in {s3rver}: run ./platform run, which installs it.");
            }
            Directory.CreateDirectory(data);
            return Task.CompletedTask;
        });
        return builder.AddExecutable(ResourceName, "node", root,
                s3rver, "--directory", data, "--address", LocalInfrastructure.Loopback, "--port",
                Ports.ArchiveS3.ToString(System.Globalization.CultureInfo.InvariantCulture), "--configure-bucket", Bucket, "--silent")
            .WithHttpEndpoint(port: Ports.ArchiveS3, targetPort: Ports.ArchiveS3, name: "http", isProxied: false);
    }
}
