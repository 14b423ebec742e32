namespace Platform.AppHost.Kinesis;

/// <summary>The Kinesis stream the ingestion service reads at start, registered as its source <c>security-logs</c>.</summary>
/// <param name="Endpoint">The emulator's or a Kinesis-compatible service's address; null for real Kinesis at the standard AWS endpoint.</param>
/// <param name="Emulator">The emulator resource ingestion waits for; null for real Kinesis.</param>
public sealed record KinesisSource(string StreamName, Uri? Endpoint, string? Region, IResourceBuilder<IResource>? Emulator)
{
    public const string SourceName = "security-logs";
    public const string EmulatorRegion = "us-east-1";

    /// <summary>The ingestion setting prefix of this source, as an environment variable name.</summary>
    public const string SettingPrefix = $"Platform__Ingestion__Sources__{SourceName}__";

    /// <summary>What the standard AWS credential chain reads from the environment.</summary>
    public static readonly IReadOnlyList<string> AwsEnvironment =
    [
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    ];

    public static KinesisSource Emulated(Uri endpoint, IResourceBuilder<IResource> emulator) =>
        new(KinesisStreams.SecurityLogs, endpoint, EmulatorRegion, emulator);

    /// <summary>A stream of an existing Kinesis service: AWS's own, or the one at <paramref name="endpoint"/> when given.</summary>
    public static KinesisSource Aws(string streamName, string? region, Uri? endpoint) => new(streamName, endpoint, region, null);
}

public static class KinesisSourceExtensions
{
    public static IResourceBuilder<ProjectResource> WithKinesisSource(this IResourceBuilder<ProjectResource> service, KinesisSource source)
    {
        service
            .WithEnvironment(KinesisSource.SettingPrefix + "StreamName", source.StreamName)
            .WithEnvironment(KinesisSource.SettingPrefix + "StartingPosition", "TRIM_HORIZON");
        if (source.Region is { Length: > 0 } region)
        {
            service.WithEnvironment(KinesisSource.SettingPrefix + "Region", region);
        }

        if (source.Endpoint is { } endpoint)
        {
            service.WithEnvironment(KinesisSource.SettingPrefix + "Endpoint", endpoint.ToString().TrimEnd('/'));
        }
        if (source.Emulator is { } emulator)
        {
            // kinesalite checks that requests are signed, not by whom.
            return service
                .WithEnvironment("AWS_ACCESS_KEY_ID", "local")
                .WithEnvironment("AWS_SECRET_ACCESS_KEY", "local")
                .WithEnvironment("AWS_REGION", KinesisSource.EmulatorRegion)
                .WaitFor(emulator);
        }

        // An existing service: the service finds credentials the standard way; pass on what the AppHost was given.
        return service.WithEnvironment(context =>
        {
            foreach (var name in KinesisSource.AwsEnvironment)
            {
                if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
                {
                    context.EnvironmentVariables[name] = value;
                }
            }
        });
    }
}
