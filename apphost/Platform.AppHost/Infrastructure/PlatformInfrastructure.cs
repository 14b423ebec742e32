namespace Platform.AppHost.Infrastructure;

/// <summary>Postgres, RabbitMQ and the Kinesis endpoint, however they are provided, and how a service reaches them.</summary>
public abstract class PlatformInfrastructure(KinesisSource kinesis)
{
    public KinesisSource Kinesis { get; } = kinesis;

    /// <summary>Gives the service its database's and the broker's connection strings, and makes it wait for both.</summary>
    public abstract IResourceBuilder<ProjectResource> Connect(IResourceBuilder<ProjectResource> service, string database);

    public static PlatformInfrastructure AddTo(IDistributedApplicationBuilder builder) =>
        InfrastructureModeSelection.Resolve(builder.Configuration) switch
        {
            InfrastructureMode.Containers => ContainerInfrastructure.Add(builder),
            InfrastructureMode.Local => LocalInfrastructure.Add(builder),
            InfrastructureMode.External => ExternalInfrastructure.Add(builder),
            var mode => throw new InvalidOperationException($"Unknown infrastructure mode {mode}."),
        };

    /// <summary>The repository root, for resources outside the infrastructure (the archive's local S3).</summary>
    public static string RepositoryRoot(IDistributedApplicationBuilder builder) => FindRepositoryRoot(builder);

    /// <summary>The repository root: <c>PLATFORM_ROOT</c> (set by <c>./platform</c>), else the folder holding Platform.sln above the AppHost.</summary>
    protected static string FindRepositoryRoot(IDistributedApplicationBuilder builder)
    {
        if (builder.Configuration["PLATFORM_ROOT"] is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }
        for (var directory = new DirectoryInfo(builder.AppHostDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Platform.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException(
            $"No Platform.sln above {builder.AppHostDirectory}: set PLATFORM_ROOT to the repository root.");
    }
}
