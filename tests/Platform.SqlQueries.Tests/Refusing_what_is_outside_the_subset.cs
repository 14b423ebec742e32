namespace Platform.SqlQueries.Tests;

public sealed class Refusing_what_is_outside_the_subset
{
    [Theory]
    [InlineData("SELECT a.eventName FROM security-events a JOIN vpc_flow_logs b ON a.eventID = b.srcaddr", 43, "JOIN is not supported")]
    [InlineData("SELECT eventName FROM security-events, vpc_flow_logs", 38, "JOIN is not supported")]
    [InlineData("SELECT eventName FROM (SELECT eventName FROM security-events)", 23, "subqueries are not supported")]
    [InlineData("SELECT eventName FROM security-events WHERE eventName IN (SELECT srcaddr FROM vpc_flow_logs)", 59, "subqueries are not supported")]
    [InlineData("SELECT eventName FROM security-events WHERE EXISTS (SELECT 1)", 45, "subqueries are not supported")]
    [InlineData("SELECT eventName FROM security-events UNION SELECT srcaddr FROM vpc_flow_logs", 39, "UNION is not supported")]
    [InlineData("DROP TABLE log_events", 1, "DROP statements are not supported")]
    [InlineData("DELETE FROM security-events", 1, "DELETE statements are not supported")]
    [InlineData("INSERT INTO vpc_flow_logs VALUES (1)", 1, "INSERT statements are not supported")]
    [InlineData("WITH x AS (SELECT 1) SELECT * FROM x", 1, "WITH (common table expressions) is not supported")]
    [InlineData("SELECT lower(eventName) FROM security-events", 8, "function 'lower' is not supported")]
    [InlineData("SELECT CASE WHEN readOnly THEN 1 END FROM security-events", 8, "CASE is not supported")]
    [InlineData("SELECT count(*) OVER () FROM security-events", 17, "window functions (OVER) are not supported")]
    [InlineData("SELECT eventName FROM security-events LIMIT 1 OFFSET 2", 47, "OFFSET is not supported")]
    [InlineData("SELECT eventName FROM security-events; DROP TABLE log_events", 40, "expected the end of the statement")]
    [InlineData("SELECT eventName FROM security-events LIMIT '10'", 45, "LIMIT takes a whole number of rows")]
    [InlineData("SELECT eventName FROM security-events LIMIT 1; --", 0, "")]
    public void A_construct_outside_the_subset_is_refused_naming_it_and_where_it_starts(string query, int position, string reason)
    {
        if (position == 0)
        {
            // Comments are whitespace: this one is fine.
            Queries.Compile(query);
            return;
        }
        var error = Queries.Refuse(query);

        Assert.Equal(position, error.Position);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT nope FROM security-events", 8, "no column 'nope'")]
    [InlineData("SELECT srcaddr FROM no-such-store", 21, "no event data store or table is named 'no-such-store'")]
    [InlineData("SELECT eventName FROM security-events WHERE eventTime > 'yesterday'", 57, "'yesterday' is not a timestamp")]
    [InlineData("SELECT srcaddr FROM vpc_flow_logs WHERE dstport = '22'", 51, "cannot compare bigint with varchar")]
    [InlineData("SELECT srcaddr FROM vpc_flow_logs WHERE dstport LIKE '2%'", 41, "LIKE needs a varchar operand")]
    [InlineData("SELECT srcaddr, count(*) FROM vpc_flow_logs", 8, "'srcaddr' must appear in GROUP BY")]
    [InlineData("SELECT srcaddr FROM vpc_flow_logs WHERE count(*) > 1", 41, "COUNT is an aggregate: not allowed in WHERE")]
    [InlineData("SELECT sum(srcaddr) FROM vpc_flow_logs", 12, "SUM needs a number")]
    [InlineData("SELECT srcaddr FROM vpc_flow_logs WHERE srcaddr", 41, "WHERE needs a condition")]
    [InlineData("SELECT eventName FROM security-events WHERE requestParameters = 'x'", 45, "cannot compare a map or struct")]
    [InlineData("SELECT srcaddr FROM vpc_flow_logs ORDER BY 3", 44, "ORDER BY position 3 is not in the select list")]
    public void A_query_postgres_would_refuse_is_refused_before_it_runs(string query, int position, string reason)
    {
        var error = Queries.Refuse(query);

        Assert.Equal(position, error.Position);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_not_a_stack_overflow()
    {
        var deep = "SELECT srcaddr FROM vpc_flow_logs WHERE " + new string('(', 1_000) + "srcaddr = 'x'" + new string(')', 1_000);
        var nots = "SELECT srcaddr FROM vpc_flow_logs WHERE " + string.Concat(Enumerable.Repeat("NOT ", 1_000)) + "srcaddr = 'x'";
        var minus = "SELECT srcaddr FROM vpc_flow_logs WHERE dstport = " + string.Concat(Enumerable.Repeat("- ", 1_000)) + "1";

        foreach (var query in new[] { deep, nots, minus })
        {
            Assert.Contains($"nests deeper than {SqlParser.MaxDepth} levels", Queries.Refuse(query).Reason, StringComparison.Ordinal);
        }
    }
}
