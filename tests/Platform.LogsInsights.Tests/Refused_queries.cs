namespace Platform.LogsInsights.Tests;

/// <summary>Queries that are not the language, or would run away, are refused with the line, column and what was expected.</summary>
public sealed class Refused_queries
{
    private static readonly InsightsScope Scope = new(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), ["g"]);

    [Theory]
    [InlineData("", 1, 1, "expected a command")]
    [InlineData("fields", 1, 7, "expected a value")]
    [InlineData("select *", 1, 1, "expected a command (fields, display, filter, stats, sort, limit, parse, dedup), found 'select'")]
    [InlineData("fields a |", 1, 11, "expected a command")]
    [InlineData("fields a b", 1, 10, "expected '|' or the end of the query, found 'b'")]
    [InlineData("filter a = 'open", 1, 12, "not closed")]
    [InlineData("filter a like", 1, 14, "expected a string or a /regular expression/ after 'like'")]
    [InlineData("filter a =~ 'x'", 1, 13, "expected a /regular expression/ after '=~'")]
    [InlineData("filter a like /open", 1, 15, "not closed with '/'")]
    [InlineData("filter a in ['x' 'y']", 1, 18, "expected ',' or ']'")]
    [InlineData("filter a in [b]", 1, 14, "expected a string or a number in the list")]
    [InlineData("filter (a = 1", 1, 14, "expected ')'")]
    [InlineData("fields a\n| filter b not c", 2, 16, "expected 'like' or 'in' after 'not'")]
    [InlineData("limit 0", 1, 7, "limit is 1 to 10000")]
    [InlineData("limit 10001", 1, 7, "limit is 1 to 10000")]
    [InlineData("limit ten", 1, 7, "expected the number of rows")]
    [InlineData("limit 5; DROP TABLE log_events", 1, 8, "expected '|' or the end of the query, found ';'")]
    [InlineData("stats count(*) by bin(5parsecs)", 1, 24, "expected a time unit")]
    [InlineData("stats count(*) by bin(0m)", 1, 23, "a time period")]
    [InlineData("parse @message 'no stars' as a", 1, 16, "has no '*'")]
    [InlineData("parse @message 'a=* b=*' as a", 1, 16, "2 '*' but 1 names")]
    [InlineData("parse @message /(\\w+)/", 1, 16, "names no field")]
    [InlineData("parse @message /(?<a>x)(?<a>y)/", 1, 16, "used twice")]
    [InlineData("fields `open", 1, 8, "not closed with '`'")]
    [InlineData("fields a..b", 1, 8, "'a..b' is not a field name")]
    [InlineData("SOURCE logGroups(prefix: ['x']) | fields a", 1, 18, "expected namePrefix")]
    [InlineData("SOURCE x | fields a", 1, 8, "expected a quoted log group name")]
    [InlineData("SOURCE 'x' fields a", 1, 12, "expected '|' after the SOURCE clause")]
    public void A_query_that_does_not_parse_says_where_and_what_was_expected(string text, int line, int column, string reason)
    {
        var error = Assert.Throws<InsightsSyntaxException>(() => InsightsParser.Parse(text));

        Assert.Contains(reason, error.Reason);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Theory]
    [InlineData("fields nosuch(a)", 8, "unknown function 'nosuch'")]
    [InlineData("fields count(*)", 8, "aggregate function: it belongs in stats")]
    [InlineData("stats a", 7, "expected an aggregate function")]
    [InlineData("stats sum(count(*))", 11, "do not nest")]
    [InlineData("stats count(*) by count(*)", 19, "cannot be a 'by' key")]
    [InlineData("stats count(*) by a | fields b", 30, "'b' is not a field of the stats results")]
    [InlineData("stats count(*) as n | stats count(*)", 23, "stats may only follow commands on log events")]
    [InlineData("fields strlen(a, b)", 8, "strlen takes 1 argument")]
    [InlineData("stats pct(a, 101)", 14, "a percentile from 0 to 100")]
    [InlineData("fields a | dedup a | sort a", 22, "only limit may follow dedup")]
    [InlineData("fields /x/", 8, "a regular expression only follows like")]
    public void A_query_that_parses_but_cannot_run_is_refused_at_the_offending_place(string text, int column, string reason)
    {
        var error = Assert.Throws<InsightsSyntaxException>(() => InsightsCompiler.Compile(InsightsParser.Parse(text), Scope));

        Assert.Contains(reason, error.Reason);
        Assert.Equal(column, error.Column);
    }

    [Theory]
    [InlineData("filter ", "(", "a = 1", ")")]
    [InlineData("filter ", "not ", "a = 1", "")]
    [InlineData("fields ", "abs(", "1", ")")]
    [InlineData("fields ", "-", "1", "")]
    public void Nesting_past_the_limit_is_refused_without_exhausting_the_stack(string command, string open, string inner, string close)
    {
        var depth = 100_000;
        var text = command + string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, depth));

        var error = Assert.Throws<InsightsSyntaxException>(() => InsightsParser.Parse(text[..Math.Min(text.Length, InsightsParser.MaxQueryLength)]));

        Assert.Contains($"nests more than {InsightsParser.MaxDepth} levels deep", error.Reason);
    }

    [Fact]
    public void Nesting_up_to_the_limit_parses()
    {
        var depth = InsightsParser.MaxDepth - 1;

        var query = InsightsParser.Parse("filter " + new string('(', depth) + "a = 1" + new string(')', depth));

        Assert.Single(query.Commands);
    }

    [Fact]
    public void A_regex_longer_than_the_bound_is_refused()
    {
        var error = Assert.Throws<InsightsSyntaxException>(() => InsightsParser.Parse($"filter a like /{new string('a', InsightsParser.MaxRegexLength + 1)}/"));

        Assert.Contains($"longer than {InsightsParser.MaxRegexLength}", error.Reason);
        Assert.Equal(15, error.Column);
    }

    [Fact]
    public void A_query_longer_than_the_bound_is_refused()
    {
        var error = Assert.Throws<InsightsSyntaxException>(() => InsightsParser.Parse("fields " + new string('a', InsightsParser.MaxQueryLength)));

        Assert.Contains("longer than", error.Reason);
    }
}
