namespace Platform.Ingestion.Queries;

public static class QueryRunsExtensions
{
    /// <summary>The query runner every query API of the service shares (<see cref="QueryRuns"/>).</summary>
    public static IHostApplicationBuilder AddQueryRuns(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformOptions<QueryRunOptions>(QueryRunOptions.Section);
        builder.Services.AddSingleton<QueryRuns>();
        return builder;
    }
}
