namespace Platform.SqlQueries.Tests;

/// <summary>The seed's queries as written, and a compiler over the seed's event data store.</summary>
internal static class Queries
{
    public const string SeedLake = """
        SELECT eventName, COUNT(*) as count
        FROM security-events
        WHERE eventTime > '2025-01-01'
        AND errorCode IS NOT NULL
        GROUP BY eventName
        ORDER BY count DESC
        LIMIT 10
        """;

    public const string TopRejected = """
        SELECT srcaddr, dstaddr, dstport, action, COUNT(*) as count
        FROM vpc_flow_logs
        WHERE action = 'REJECT'
        AND dt >= '2025/01/01'
        GROUP BY srcaddr, dstaddr, dstport, action
        ORDER BY count DESC
        LIMIT 20;
        """;

    public const string PortScanners = """
        SELECT srcaddr, COUNT(DISTINCT dstport) as ports_scanned
        FROM vpc_flow_logs
        WHERE action = 'REJECT'
        GROUP BY srcaddr
        HAVING COUNT(DISTINCT dstport) > 100
        ORDER BY ports_scanned DESC;
        """;

    public const string Outbound = """
        SELECT dstaddr, SUM(bytes) as total_bytes
        FROM vpc_flow_logs
        WHERE action = 'ACCEPT'
        AND srcaddr LIKE '10.%'
        AND dstaddr NOT LIKE '10.%'
        GROUP BY dstaddr
        ORDER BY total_bytes DESC
        LIMIT 20;
        """;

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
