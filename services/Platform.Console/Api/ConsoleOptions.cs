namespace Platform.Console.Api;

/// <summary>
/// Where the console finds the services (<c>Platform:Console:Services:Ingestion</c>, ...): the fixed local endpoints of
/// DESIGN.md unless configuration (the AppHost, docker-compose) says otherwise.
/// </summary>
public sealed class ConsoleOptions
{
    public const string Section = "Platform:Console";

    public ServiceUrls Services { get; set; } = new();
}

/// <summary>The base URL of each service the console calls.</summary>
public sealed class ServiceUrls
{
    public Uri Ingestion { get; set; } = Local(PlatformResources.LocalPorts.Ingestion);
    public Uri Detection { get; set; } = Local(PlatformResources.LocalPorts.Detection);
    public Uri Compliance { get; set; } = Local(PlatformResources.LocalPorts.Compliance);
    public Uri Alerting { get; set; } = Local(PlatformResources.LocalPorts.Alerting);
    public Uri Provisioning { get; set; } = Local(PlatformResources.LocalPorts.Provisioning);

    private static Uri Local(int port) => new($"http://127.0.0.1:{port}");
}
