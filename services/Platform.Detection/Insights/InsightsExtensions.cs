namespace Platform.Detection.Insights;

/// <summary>Detection's CloudTrail Insights: settings, and the stager the live batch consumer calls.</summary>
public static class InsightsExtensions
{
    public static IHostApplicationBuilder AddCloudTrailInsights(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformOptions<InsightsOptions>(InsightsOptions.Section);
        builder.Services.AddScoped<CloudTrailInsights>();
        return builder;
    }
}
