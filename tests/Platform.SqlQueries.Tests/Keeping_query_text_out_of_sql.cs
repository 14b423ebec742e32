namespace Platform.SqlQueries.Tests;

/// <summary>Nothing the analyst writes reaches SQL text: identifiers select fixed columns, literals become parameters.</summary>
public sealed class Keeping_query_text_out_of_sql
{
    private const string Injection = "x'); DROP TABLE log_events; --";

    [Theory]
    [InlineData("SELECT srcaddr FROM vpc_flow_logs WHERE srcaddr = 'x''); DROP TABLE log_events; --'")]
    [InlineData("SELECT srcaddr FROM vpc_flow_logs WHERE srcaddr LIKE 'x''); DROP TABLE log_events; --'")]
    [InlineData("SELECT srcaddr FROM vpc_flow_logs WHERE srcaddr IN ('a', 'x''); DROP TABLE log_events; --')")]
    [InlineData("SELECT element_at(requestParameters, 'x''); DROP TABLE log_events; --') FROM security-events")]
    [InlineData("SELECT srcaddr AS \"x'); DROP TABLE log_events; --\" FROM vpc_flow_logs")]
    public void A_hostile_literal_or_alias_becomes_a_parameter_or_a_result_name_never_sql(string query)
    {
        foreach (var dialect in new[] { SqlDialect.Postgres, SqlDialect.DuckDb })
        {
            var statement = Queries.Compile(query, dialect);

            Assert.DoesNotContain("DROP", statement.Text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("--", statement.Text, StringComparison.Ordinal);
            // The archive reads a map's key as a JSON pointer: the key, escaped, is still only a parameter.
            Assert.True(statement.Parameters.Contains(Injection) || statement.Parameters.Contains("/" + Injection) || statement.Columns.Contains(Injection));
        }
    }

    [Theory]
    [InlineData("SELECT \"srcaddr'); DROP TABLE log_events; --\" FROM vpc_flow_logs", "no column")]
    [InlineData("SELECT srcaddr FROM \"vpc_flow_logs; DROP TABLE log_events\"", "no event data store or table")]
    [InlineData("SELECT srcaddr FROM vpc_flow_logs LIMIT 1; DROP TABLE log_events", "expected the end of the statement")]
    [InlineData("SELECT srcaddr FROM vpc_flow_logs LIMIT 1 UNION SELECT 1", "UNION is not supported")]
    [InlineData("SELECT srcaddr FROM vpc_flow_logs LIMIT (SELECT 1)", "LIMIT takes a whole number")]
    [InlineData("SELECT srcaddr FROM vpc_flow_logs WHERE srcaddr LIKE 'x' ESCAPE ''''; DROP TABLE log_events'", "expected the end of the statement")]
    [InlineData("SELECT srcaddr FROM security-events;DROP", "expected the end of the statement")]
    public void A_hostile_identifier_table_limit_or_tail_is_refused(string query, string reason)
    {
        Assert.Contains(reason, Queries.Refuse(query).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SeedQueries.SeedLake, "'2025-01-01'", "'2024-06-30 12:00:00'")]
    [InlineData(SeedQueries.TopRejected, "'REJECT'", "'ACCEPT'")]
    [InlineData(SeedQueries.PortScanners, "100", "7")]
    [InlineData(SeedQueries.Outbound, "'10.%'", "'192.168.%'")]
    public void The_sql_text_depends_on_the_querys_shape_only_not_its_values(string query, string value, string other)
    {
        var first = Queries.Compile(query);
        var second = Queries.Compile(query.Replace(value, other, StringComparison.Ordinal));

        Assert.Equal(first.Text, second.Text);
        Assert.NotEqual(first.Parameters, second.Parameters);
    }

    [Fact]
    public void Every_word_of_the_sql_text_comes_from_the_compiler_not_the_query()
    {
        foreach (var dialect in new[] { SqlDialect.Postgres, SqlDialect.DuckDb })
        {
            Every_word_of_the_sql_text_comes_from_the_compiler(dialect);
        }
    }

    private static void Every_word_of_the_sql_text_comes_from_the_compiler(SqlDialect dialect)
    {
        // Names and values no fixed fragment holds, in every position the subset has.
        var statement = Queries.Compile("""
            SELECT srcaddr AS zqalias, count(*) zqcount FROM vpc_flow_logs AS zqtable
            WHERE zqtable.action = 'zqvalue' AND srcaddr LIKE 'zqpattern%' AND dt IN ('zqlist') AND dstport BETWEEN 1 AND 65535
            GROUP BY srcaddr HAVING count(*) > 31337 ORDER BY zqcount DESC LIMIT 4242
            """, dialect);

        Assert.DoesNotContain("zq", statement.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("31337", statement.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("4242", statement.Text, StringComparison.Ordinal);
        Assert.Equal(["zqalias", "zqcount"], statement.Columns);
    }
}
