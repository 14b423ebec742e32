namespace Platform.SqlQueries;

/// <summary>A compiled query, and what it reads, counted before it runs for the statistics (records, stored bytes).</summary>
/// <param name="Query">The query itself.</param>
/// <param name="Scope">One row: the events of the query's table (within the store's retention) and their stored size.</param>
public sealed record CompiledSqlQuery(SqlStatement Query, SqlStatement Scope);
