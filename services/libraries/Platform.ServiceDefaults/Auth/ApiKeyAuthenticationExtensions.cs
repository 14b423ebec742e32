using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;

namespace Platform.ServiceDefaults.Auth;

public static class ApiKeyAuthenticationExtensions
{
    /// <summary>Configuration key of the admin key every service accepts from its first start.</summary>
    public const string BootstrapAdminKeySetting = "Platform:Auth:BootstrapAdminKey";
    public const string BootstrapAdminKeyName = "bootstrap-admin";

    /// <summary>Requests per second each key may make to the ingest endpoints (bursts of twice that).</summary>
    public const string IngestRequestsPerSecondSetting = "Platform:Ingest:RequestsPerSecond";

    /// <summary>The rate-limiting policy ingest endpoints use.</summary>
    public const string IngestRateLimitPolicy = "ingest-per-key";

    public static TBuilder AddApiKeyAuthentication<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var registry = new ApiKeyRegistry();
        var bootstrap = builder.Configuration[BootstrapAdminKeySetting];
        if (!string.IsNullOrWhiteSpace(bootstrap))
        {
            registry.Upsert(new ApiKeyIdentity(BootstrapAdminKeyName, PlatformRoles.Admin, ApiKeyRegistry.Hash(bootstrap)));
        }
        builder.Services.AddSingleton(registry);

        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        builder.Services.AddAuthorizationBuilder()
            // Everything needs a key unless an endpoint says AllowAnonymous (health, OpenAPI, Scalar).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(PlatformPolicies.Administer, p => p.RequireRole(PlatformRoles.Admin))
            .AddPolicy(PlatformPolicies.Read, p => p.RequireRole(PlatformRoles.Admin, PlatformRoles.Analyst))
            .AddPolicy(PlatformPolicies.Ingest, p => p.RequireRole(PlatformRoles.Admin, PlatformRoles.Ingest));

        var perSecond = builder.Configuration.GetValue(IngestRequestsPerSecondSetting, 50);
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
                }
                return ValueTask.CompletedTask;
            };
            // One bucket per credential that authenticated the request (its scheme and name): a noisy sender cannot
            // starve the others. Endpoints with this policy require authentication, which runs before the limiter, so a
            // request without a valid credential is refused (401) and never reaches a bucket a sender uses.
            options.AddPolicy(IngestRateLimitPolicy, context => RateLimitPartition.GetTokenBucketLimiter(
                context.User.Identity is { IsAuthenticated: true } identity ? $"{identity.AuthenticationType}:{identity.Name}" : "anonymous",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perSecond * 2,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        });
        return builder;
    }
}
