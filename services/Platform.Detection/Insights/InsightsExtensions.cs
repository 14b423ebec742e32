namespace Platform.Detection.Insights;

/// <summary>Detection's CloudTrail Insights: settings, the stager, and the group committer the live batch consumer hands its counts to.</summary>
public static class InsightsExtensions
{
    public static IHostApplicationBuilder AddCloudTrailInsights(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformOptions<InsightsOptions>(InsightsOptions.Section);
        builder.Services.AddScoped<CloudTrailInsights>();
        builder.Services.AddSingleton<InsightsCommitter>();
        return builder;
    }
}
