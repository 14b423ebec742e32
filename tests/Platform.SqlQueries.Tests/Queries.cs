namespace Platform.SqlQueries.Tests;

/// <summary>A compiler over the seed's event data store.</summary>
internal static class Queries
{
    public static readonly DateTimeOffset Now = new(2026, 1, 15, 0, 0, 0, TimeSpan.Zero);

    public static readonly EventDataStore SecurityEvents =
        new("security-events", EventDataStores.Normalize(new EventDataStoreSpec("security-events", 365, true), (_, reason) => throw new InvalidOperationException(reason)));

    public static SqlStatement Compile(string query)
    {
        var statement = SqlQueryCompiler.TryCompile(query, [SecurityEvents], Now, out var error);
        Assert.True(statement is not null, $"refused: {error}");
        return statement.Query;
    }

    public static SqlQueryError Refuse(string query)
    {
        var statement = SqlQueryCompiler.TryCompile(query, [SecurityEvents], Now, out var error);
        Assert.True(statement is null, $"compiled: {statement?.Query.Text}");
        return error!;
    }
}
