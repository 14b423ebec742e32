using System.Security.Claims;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Platform.Http;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Memory;
using Platform.ServiceDefaults.Telemetry;
using Scalar.AspNetCore;

namespace Platform.ServiceDefaults;

/// <summary>
/// What every Platform service gets with one call: telemetry, health, resilience, problem details,
/// one JSON configuration, the bus, API-key authentication and the OpenAPI documents.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    public const string LiveTag = "live";

    /// <param name="builder">The service's application builder.</param>
    /// <param name="configureBus">Registers the service's consumers (and request clients) on the bus.</param>
    public static TBuilder AddServiceDefaults<TBuilder>(
        this TBuilder builder,
        Action<IBusRegistrationConfigurator>? configureBus = null)
        where TBuilder : IHostApplicationBuilder
    {
        builder.AddWebDefaults();
        builder.AddPlatformBus(bus =>
        {
            bus.AddLiveApiKeyConsumers();
            configureBus?.Invoke(bus);
        });
        builder.AddApiKeyAuthentication();
        builder.Services.AddLiveApiKeys();
        builder.AddPlatformOpenApi();

        return builder;
    }

    /// <summary>
    /// What a web process of the platform gets without the bus, keys or OpenAPI (the console, which talks to the services
    /// over their REST APIs only): telemetry, health, resilient HTTP clients with service discovery, problem details and
    /// the platform's JSON.
    /// </summary>
    public static TBuilder AddWebDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<IdleMemoryTrimmer>();

        builder.ConfigurePlatformTelemetry();

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        builder.Services.AddPlatformProblemDetails();
        builder.Services.Configure<JsonOptions>(options => PlatformJson.Configure(options.SerializerOptions));
        return builder;
    }

    /// <summary>Maps health, OpenAPI and Scalar, none of which needs a key, and <c>GET /v1/me</c>, which does.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapHealthEndpoints();

        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(options => options.WithTitle($"{app.Environment.ApplicationName} API"))
            .AllowAnonymous();

        // Who the presented key is: how the console learns the role of the person who signed in with it.
        app.MapGet("/v1/me", (ClaimsPrincipal user) => TypedResults.Ok(new Caller(
                user.FindFirstValue(ClaimTypes.Name)!, user.FindFirstValue(ClaimTypes.Role)!)))
            .WithTags("Identity")
            .WithOperation("GetCaller", "The API key's name and role", "Answers for any valid key (every role); 401 without one.");
        return app;
    }

    /// <summary>Maps the readiness (<c>/health</c>) and liveness (<c>/alive</c>) checks, which need no key.</summary>
    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        // Ready: every registered check (the database, the broker). Alive: the process answers.
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync })
            .AllowAnonymous();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(LiveTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous();
        return app;
    }
}

/// <summary>Who a key is: its name and its role (admin, analyst or ingest).</summary>
public sealed record Caller(string Name, string Role);
