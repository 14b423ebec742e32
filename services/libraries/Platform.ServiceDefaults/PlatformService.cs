namespace Platform.ServiceDefaults;

/// <summary>How every Platform service starts: the one bootstrap its <c>Program.cs</c> hands its own parts to.</summary>
public static class PlatformService
{
    /// <summary>
    /// Builds and runs a service: the service defaults with its consumers on the bus, its own services, then the default
    /// endpoints (health, OpenAPI, <c>/v1/me</c>) and its APIs.
    /// </summary>
    /// <param name="args">The process's arguments.</param>
    /// <param name="consumers">Registers the service's consumers (and request clients) on the bus.</param>
    /// <param name="services">Adds the service's own options, database and services.</param>
    /// <param name="endpoints">Maps the service's APIs.</param>
    public static void Run(
        string[] args,
        Action<IBusRegistrationConfigurator> consumers,
        Action<IHostApplicationBuilder> services,
        Action<WebApplication> endpoints)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(consumers);
        services(builder);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        endpoints(app);

        app.Run();
    }
}
