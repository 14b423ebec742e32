namespace Platform.SqlQueries.Tests;

/// <summary>A compiler over the seed's event data store.</summary>
internal static class Queries
{
    public static readonly DateTimeOffset Now = new(2026, 1, 15, 0, 0, 0, TimeSpan.Zero);

    public static readonly EventDataStore SecurityEvents =
        new("security-events", EventDataStores.Normalize(new EventDataStoreSpec("security-events", 365, true), (_, reason) => throw new InvalidOperationException(reason)));

    public static SqlStatement Compile(string query, SqlDialect? dialect = null) => CompileWhole(query, dialect).Query;

    /// <summary>The statement, its scope and the archive partitions it reads.</summary>
    public static CompiledSqlQuery CompileWhole(string query, SqlDialect? dialect = null)
    {
        var statement = SqlQueryCompiler.TryCompile(query, [SecurityEvents], Now, dialect ?? SqlDialect.Postgres, out var error);
        Assert.True(statement is not null, $"refused: {error}");
        return statement;
    }

    public static SqlQueryError Refuse(string query)
    {
        var statement = SqlQueryCompiler.TryCompile(query, [SecurityEvents], Now, out var error);
        Assert.True(statement is null, $"compiled: {statement?.Query.Text}");
        return error!;
    }
}
