namespace Platform.SqlQueries;

/// <summary>A compiled query, and what it reads, counted before it runs for the statistics (records, stored bytes).</summary>
/// <param name="Query">The query itself.</param>
/// <param name="Scope">One row: the events of the query's table (within the store's retention) and their stored size.</param>
/// <param name="Archive">The archive partitions that can hold the query's rows (the archive tier fetches only those).</param>
public sealed record CompiledSqlQuery(SqlStatement Query, SqlStatement Scope, ArchiveRange Archive);

/// <summary>
/// Which archive partitions can hold a query's rows, read from its WHERE's top-level AND terms on the table's partition
/// columns and the store's retention (a term it cannot read narrows nothing): the source type's files with event times
/// from <paramref name="From"/> (inclusive) to <paramref name="To"/> (exclusive), of one account and one region when given.
/// </summary>
public sealed record ArchiveRange(string SourceType, DateTimeOffset? From, DateTimeOffset? To, string? Account, string? Region);
