using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Platform.ServiceDefaults;

public static class OpenApiExtensions
{
    public static TBuilder AddPlatformOpenApi<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = $"{builder.Environment.ApplicationName} API";
                document.Info.Description =
                    $"Every /v1 endpoint needs an API key in the {ApiKeyAuthenticationHandler.HeaderName} header. " +
                    "Roles: admin (everything), analyst (read, triage findings), ingest (ingest endpoints only).";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.HeaderName,
                    Description = "A key issued by the provisioning service (POST /v1/api-keys) or the bootstrap admin key.",
                };
                document.Security ??= [];
                document.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, document)] = [],
                });
                return Task.CompletedTask;
            });
            options.AddOperationTransformer<RolesOperationTransformer>();
        });
        return builder;
    }
}
