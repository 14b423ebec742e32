namespace Platform.SqlQueries.Tests;

public sealed class Compiling_the_seeds_queries
{
    [Fact]
    public void The_lake_query_reads_the_store_within_its_retention_and_compares_event_time_as_a_timestamp()
    {
        var statement = Queries.Compile(SeedQueries.SeedLake);

        Assert.Equal(["eventName", "count"], statement.Columns);
        Assert.Contains("cloudtrail", statement.Parameters);
        Assert.Contains(Queries.Now.AddDays(-365), statement.Parameters);
        Assert.Contains(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), statement.Parameters);
        Assert.Contains(10L, statement.Parameters);
        Assert.DoesNotContain("2025", statement.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SeedQueries.TopRejected, new[] { "srcaddr", "dstaddr", "dstport", "action", "count" })]
    [InlineData(SeedQueries.PortScanners, new[] { "srcaddr", "ports_scanned" })]
    [InlineData(SeedQueries.Outbound, new[] { "dstaddr", "total_bytes" })]
    public void The_athena_queries_compile_as_written(string query, string[] columns)
    {
        var statement = Queries.Compile(query);

        Assert.Equal(columns, statement.Columns);
        Assert.Contains("vpcflow", statement.Parameters);
    }

    [Fact]
    public void The_store_is_found_by_its_id_its_arn_or_its_quoted_name()
    {
        var id = Queries.SecurityEvents.Id;

        foreach (var table in new[] { id, $"arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/{id}", "\"security-events\"" })
        {
            Assert.Equal(["eventName"], Queries.Compile($"SELECT eventName FROM {table}").Columns);
        }
    }

    [Fact]
    public void Star_selects_every_top_level_column_of_the_table()
    {
        var statement = Queries.Compile("SELECT * FROM vpc_flow_logs");

        Assert.Equal(["version", "account_id", "interface_id", "srcaddr"], statement.Columns.Take(4));
        Assert.Equal("dt", statement.Columns[^1]);
        Assert.Contains("flow_direction", statement.Columns);
    }

    [Fact]
    public void Nested_fields_element_at_aliases_positions_and_the_other_predicates_compile()
    {
        var statement = Queries.Compile("""
            SELECT userIdentity.arn AS who, element_at(requestParameters, 'bucketName') bucket, count(*), max(eventTime) last
            FROM security-events AS t
            WHERE t.eventSource IN ('s3.amazonaws.com', 'iam.amazonaws.com') AND NOT readOnly
              AND eventTime BETWEEN '2025-01-01' AND TIMESTAMP '2026-01-01 00:00:00'
              AND (userAgent NOT LIKE '%console%' OR userAgent IS NULL)
            GROUP BY 1, element_at(requestParameters, 'bucketName')
            HAVING count(*) >= 2
            ORDER BY 3 DESC, who
            LIMIT 5
            """);

        Assert.Equal(["who", "bucket", "_col2", "last"], statement.Columns);
        Assert.Contains("bucketName", statement.Parameters);
        Assert.Equal(1, statement.Parameters.Count(p => Equals(p, "bucketName")));
    }
}
