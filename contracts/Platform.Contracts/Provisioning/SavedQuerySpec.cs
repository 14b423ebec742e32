namespace Platform.Contracts.Provisioning;

/// <summary>
/// A saved query as CloudWatch Logs' <c>put_query_definition</c> takes it (<c>name</c>, <c>queryString</c>,
/// <c>logGroupNames</c>), with the <paramref name="Language"/> it is written in so CloudTrail Lake and Athena SQL can be
/// saved too. Ingestion runs it by name (<c>POST /v1/saved-queries/{name}/run</c>); the resource's name is its name.
/// </summary>
/// <param name="QueryString">The query: Logs Insights, or a SQL <c>SELECT</c> (as <c>/v1/sql-queries</c> takes it).</param>
/// <param name="LogGroupNames">The log groups a Logs Insights query reads, unless it names them with <c>SOURCE</c>; none for SQL.</param>
/// <param name="Language">One of <see cref="SavedQueryLanguages"/>; <c>logs-insights</c> when absent.</param>
/// <param name="Name">The query's name; the resource's name when absent, and equal to it when given.</param>
/// <param name="Description">What the query is for, shown with it.</param>
public sealed record SavedQuerySpec(
    string? QueryString = null,
    IReadOnlyList<string>? LogGroupNames = null,
    string? Language = null,
    string? Name = null,
    string? Description = null);

/// <summary>The languages a saved query may be written in.</summary>
public static class SavedQueryLanguages
{
    /// <summary>CloudWatch Logs Insights, run as <c>/v1/queries</c> runs it.</summary>
    public const string LogsInsights = "logs-insights";

    /// <summary>The CloudTrail Lake and Athena SQL subset, run as <c>/v1/sql-queries</c> runs it.</summary>
    public const string Sql = "sql";

    public static readonly IReadOnlyList<string> All = [LogsInsights, Sql];
}
